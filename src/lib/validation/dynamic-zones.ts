/**
 * Owns the rule "a dynamic zone holds only the components its schema lists". Strapi 5.54
 * stores (and publishes) a block of any existing component in any dynamic zone, where it then
 * sits invisible to the APIs; this write rule refuses such writes with a ValidationError that
 * points at the block.
 */
import { errors } from '@strapi/utils';
import { WRITE_PATHS, type WriteRule } from '../write-rules/registry';

interface Attribute {
  type: string;
  components?: string[];
}

export function findDisallowedBlocks(
  attributes: Record<string, Attribute>,
  data: Record<string, unknown>
): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    const blocks = data[name];
    if (attribute.type !== 'dynamiczone' || !Array.isArray(blocks)) continue;
    blocks.forEach((block, index) => {
      const component = (block as { __component?: unknown } | null)?.__component;
      if (typeof component !== 'string' || !attribute.components?.includes(component)) {
        problems.push({
          path: [name, index, '__component'],
          message: `${name}[${index}] must be one of ${attribute.components?.join(', ')}; got ${String(component)}`,
        });
      }
    });
  }
  return problems;
}

/** The write rule (src/lib/write-rules/): every locale's data, on create and update, on every write path. */
export const dynamicZoneComponentsRule: WriteRule = {
  name: 'dynamic-zone-components',
  paths: WRITE_PATHS,
  actions: ['create', 'update'],
  appliesTo: () => true,
  prepare(write) {
    const attributes = write.strapi.getModel(write.uid).attributes as Record<string, Attribute>;
    for (const { data } of write.versions) {
      const problems = findDisallowedBlocks(attributes, data);
      if (problems.length > 0) {
        throw new errors.ValidationError(problems[0]!.message, {
          errors: problems.map((problem) => ({ ...problem, name: 'ValidationError', value: undefined })),
        });
      }
    }
  },
};
