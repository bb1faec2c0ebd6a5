/** Global middleware: an HttpError thrown anywhere behind it becomes Strapi's JSON error shape (src/lib/http/http-error.ts). */
import { httpErrors } from '../lib/http/http-error';

export default () => httpErrors();
