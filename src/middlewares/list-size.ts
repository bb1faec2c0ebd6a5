/** Global middleware: a REST list over the size limit is a 400 naming the limit (src/lib/http/list-size.ts). */
import { restListSize } from '../lib/http/list-size';

export default () => restListSize();
