/** Global middleware: `meta.pagination.totalIsLowerBound` beside a public list's total (src/lib/http/list-total.ts). */
import { restListTotal } from '../lib/http/list-total';

export default () => restListTotal();
