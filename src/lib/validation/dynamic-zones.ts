/**
 * Owns the rule "a dynamic zone holds only the components its schema lists". Strapi 5.54
 * stores (and publishes) a block of any existing component in any dynamic zone, where it then
 * sits invisible to the APIs; this Document Service middleware refuses such writes with a
 * ValidationError that points at the block.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const WRITE_ACTIONS = new Set(['create', 'update']);

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

export function dynamicZoneComponentsOnly(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!WRITE_ACTIONS.has(context.action)) return next();
    const data = (context.params as { data?: Record<string, unknown> }).data;
    if (!data) return next();

    const attributes = strapi.getModel(context.uid).attributes as Record<string, Attribute>;
    const problems = findDisallowedBlocks(attributes, data);
    if (problems.length > 0) {
      throw new errors.ValidationError(problems[0]!.message, {
        errors: problems.map((problem) => ({ ...problem, name: 'ValidationError', value: undefined })),
      });
    }
    return next();
  };
}
