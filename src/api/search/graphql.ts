/**
 * GraphQL side of search: `search(q:, locale:, types:, when:, page:, pageSize:)` answers exactly
 * what `GET /api/search` answers (the same parameter rules, the same service), and
 * `searchSuggestions(q:, locale:)` what `GET /api/search/suggest` does. Public, like the content
 * they find.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Nexus, ObjectDefinition } from '../../lib/graphql/nexus';
import { readSearchRequest, readSuggestRequest } from './request';
import type { SearchService } from './services/search';

const plain = (args: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(args)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
  );

export function registerSearchQueries(strapi: Core.Strapi): void {
  const service = () => strapi.service('api::search.search') as unknown as SearchService;
  const extension = strapi.plugin('graphql').service('extension');
  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: [
      nexus.objectType({
        name: 'SearchHit',
        description: 'One hit of `search`, as `GET /api/search` gives it',
        definition(t: ObjectDefinition) {
          t.nonNull.string('type', { description: 'Plural API name: articles, events, people, organisations, topics' });
          t.nonNull.id('documentId');
          t.nonNull.string('locale');
          t.string('slug');
          t.nonNull.string('title', { description: 'The title, or a name' });
          t.nonNull.string('snippet', { description: 'HTML: the matching words in <mark>, everything else escaped' });
          t.nonNull.int('score', { description: '3: every word in the title, 2: in the lead, 1: elsewhere' });
          t.string('startsAt', { description: 'Events: when they start (ISO 8601)' });
          t.nonNull.boolean('fallback', { description: 'True when served in the fallbackLocale: the document has no version in the requested locale' });
        },
      }),
      nexus.objectType({
        name: 'SearchPage',
        definition(t: ObjectDefinition) {
          t.nonNull.list.nonNull.field('hits', { type: 'SearchHit' });
          t.nonNull.int('total', { description: 'How many match: exact up to 1,000; past that 1,000 (or the hits up to this page, when more), with totalIsLowerBound' });
          t.nonNull.boolean('totalIsLowerBound', { description: 'True when more match than `total` says: it counts up to 1,000' });
          t.nonNull.int('page');
          t.nonNull.int('pageSize');
        },
      }),
      nexus.objectType({
        name: 'SearchSuggestion',
        definition(t: ObjectDefinition) {
          t.nonNull.string('type');
          t.nonNull.id('documentId');
          t.string('slug');
          t.nonNull.string('title');
        },
      }),
      nexus.extendType({
        type: 'Query',
        definition(t: ObjectDefinition) {
          t.nonNull.field('search', {
            type: 'SearchPage',
            description: 'Search published content, as `GET /api/search`: Danish and English stems, æ/ø/å folded, each word a prefix',
            args: {
              q: nexus.nonNull(nexus.stringArg()),
              locale: nexus.stringArg({ description: 'da (default) or en' }),
              fallbackLocale: nexus.stringArg({ description: 'da or en: documents missing in `locale` are searched in this one' }),
              types: nexus.list(nexus.nonNull(nexus.stringArg({ description: 'articles, events, people, organisations, topics; all when left out' }))),
              when: nexus.stringArg({ description: 'upcoming or past: events by their start' }),
              page: nexus.intArg(),
              pageSize: nexus.intArg({ description: '1–50 (default 10)' }),
            },
            async resolve(_parent: unknown, args: Record<string, unknown>) {
              const parsed = readSearchRequest(plain(args));
              if (!parsed.ok) throw new errors.ValidationError(parsed.message, { param: parsed.param });
              const { hits, total, totalIsLowerBound } = await service().search(parsed.request);
              const requested = parsed.request.locale;
              return { hits: hits.map((hit) => ({ ...hit, fallback: hit.locale !== requested })), total, totalIsLowerBound, page: parsed.request.page, pageSize: parsed.request.pageSize };
            },
          });
          t.nonNull.list.nonNull.field('searchSuggestions', {
            type: 'SearchSuggestion',
            description: 'Up to 8 titles and names for what is being typed, as `GET /api/search/suggest`',
            args: { q: nexus.nonNull(nexus.stringArg()), locale: nexus.stringArg() },
            async resolve(_parent: unknown, args: Record<string, unknown>) {
              const parsed = readSuggestRequest(plain(args));
              if (!parsed.ok) throw new errors.ValidationError(parsed.message, { param: parsed.param });
              return service().suggest(parsed.request.q, parsed.request.locale);
            },
          });
        },
      }),
    ],
    resolversConfig: { 'Query.search': { auth: false }, 'Query.searchSuggestions': { auth: false } },
  }));
}
