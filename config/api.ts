import type { Core } from '@strapi/strapi';
import { DEFAULT_LIST_SIZE, MAX_LIST_SIZE } from '../src/lib/http/list-size';

const config: Core.Config.Api = {
  rest: {
    // One rule for REST and GraphQL; over the maximum is a 400 (global::list-size).
    defaultLimit: DEFAULT_LIST_SIZE,
    maxLimit: MAX_LIST_SIZE,
    withCount: true,
    strictParams: true,
  },
  documents: {
    strictParams: true,
    strictRelations: true,
  },
};

export default config;
