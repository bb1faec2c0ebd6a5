/** Global middleware: `fallbackLocale` on /api reads (src/lib/i18n/fallback.ts). */
import { fallbackRequests } from '../lib/i18n/fallback';

export default () => fallbackRequests();
