/**
 * Owns the bounds on what one GraphQL request may ask for. Strapi's plugin bounds nesting
 * (depthLimit) and list sizes (defaultLimit/maxLimit, which would silently cut a longer list:
 * `listSizeLimit` refuses it first, with REST's rule from src/lib/http/list-size.ts); GraphQL
 * Armor adds a query cost limit and caps on aliases and directives; graphql-js caps tokens.
 * Each is a 400 with a clear message.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { DEFAULT_LIST_SIZE, MAX_LIST_DEPTH, MAX_LIST_SIZE, overDepth, overDepthMessage, overLimit, overLimitMessage } from '../http/list-size';

export const GRAPHQL_LIMITS = {
  depth: 10,
  defaultListSize: DEFAULT_LIST_SIZE,
  maxListSize: MAX_LIST_SIZE,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 3000,
} as const;

/** Apollo plugins and validation rules; the GraphQL plugin appends them to its own. */
export function armorProtection(production: boolean) {
  const armor = new ApolloArmor({
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost, exposeLimits: true },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, exposeLimits: true },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, exposeLimits: true },
    maxTokens: { enabled: false },
    // Strapi's depthLimit already bounds nesting.
    maxDepth: { enabled: false },
    // Field suggestions ("Did you mean …?") help developers and map the schema for attackers.
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins: armorPlugins, validationRules } = armor.protect();
  const plugins = [...armorPlugins, listSizeLimit()];
  // The token cap is graphql-js's own parse option: a parse failure is a 400 in Apollo, where a
  // plugin throwing while parsing (Armor's maxTokens) would be a 500.
  return { plugins, validationRules, parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens } };
}


/** A literal or variable argument value as plain JavaScript (enough for pagination's ints). */
function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]));
    default:
      return undefined;
  }
}

/** What a `pagination:` argument asks beyond the limits: too many items, or too deep a page. */
interface OverLimit {
  message: string;
  extensions: Record<string, number>;
}

/** The first `pagination:` argument anywhere in the operation (fragments included) asking for too many or too deep. */
function findOverLimit(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): OverLimit | null {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((definition) => !operationName || definition.name?.value === operationName) ?? operations[0];
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined): OverLimit | null => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          if (argument.name.value !== 'pagination') continue;
          const pagination = valueOf(argument.value, variables);
          const found = overLimit(pagination);
          if (found) return { message: overLimitMessage(`${selection.name.value}(pagination: { ${found[0]} })`, found[1]), extensions: { limit: MAX_LIST_SIZE } };
          const deep = overDepth(pagination);
          if (deep) return { message: overDepthMessage(`${selection.name.value}(pagination: { ${deep[0]} })`, deep[1]), extensions: { maxDepth: MAX_LIST_DEPTH } };
        }
        const inner = walk(selection.selectionSet);
        if (inner) return inner;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = walk(selection.selectionSet);
        if (inner) return inner;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const inner = walk(fragments.get(selection.name.value)?.selectionSet);
        if (inner) return inner;
      }
    }
    return null;
  };
  return operation && operation.kind === Kind.OPERATION_DEFINITION ? walk(operation.selectionSet) : null;
}

/**
 * Apollo plugin: a list argument over the size limit, or a page past the depth limit, refuses
 * the whole request with a 400 that names the limit, before anything runs (Strapi's own maxLimit
 * would cut the list to 100 silently).
 */
export function listSizeLimit() {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }: { document: DocumentNode; request: { operationName?: string | null; variables?: Record<string, unknown> } }) {
          const over = findOverLimit(document, request.operationName ?? undefined, request.variables ?? {});
          if (over) {
            throw new GraphQLError(over.message, {
              extensions: { code: 'BAD_USER_INPUT', ...over.extensions, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
