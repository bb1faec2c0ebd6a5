/** Global middleware: GET /graphql is a public read, served without Apollo's CSRF preflight header (src/lib/graphql/public-get.ts). */
import { graphqlGetAsPublicRead } from '../lib/graphql/public-get';

export default () => graphqlGetAsPublicRead();
