/**
 * GraphQL side of local times: every public type gets `<field>Local: String` beside each
 * datetime (startsAt, endsAt, createdAt, updatedAt, publishedAt), the same value REST adds.
 */
import type { Core } from '@strapi/strapi';
import type { Nexus, ObjectDefinition } from '../graphql/nexus';
import { PUBLIC_CONTENT_TYPES } from '../access/content-types';
import { toLocalIso } from './format';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './zones';

const SYSTEM_DATETIMES = ['createdAt', 'updatedAt', 'publishedAt'];

export function registerLocalTimeFields(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  const naming = strapi.plugin('graphql').service('utils').naming;
  extension.use(({ nexus }: { nexus: Nexus }) => ({
    types: PUBLIC_CONTENT_TYPES.map((uid) => {
      const contentType = strapi.contentType(uid);
      const datetimes = Object.entries(contentType.attributes)
        .filter(([, attribute]) => (attribute as { type: string }).type === 'datetime')
        .map(([name]) => name);
      const fields = [...datetimes, ...SYSTEM_DATETIMES.filter((name) => name !== 'publishedAt' || contentType.options?.draftAndPublish)];
      return nexus.extendType({
        type: naming.getTypeName(contentType),
        definition(t: ObjectDefinition) {
          for (const name of fields) {
            t.string(`${name}Local`, {
              description: `${name} as ISO 8601 with the offset of the event's time zone (default ${DEFAULT_TIME_ZONE})`,
              resolve(parent: Record<string, unknown>) {
                const zone = typeof parent.timeZone === 'string' && isValidTimeZone(parent.timeZone) ? parent.timeZone : DEFAULT_TIME_ZONE;
                return toLocalIso(parent[name] as string | Date | null, zone);
              },
            });
          }
        },
      });
    }),
    resolversConfig: {},
  }));
}
