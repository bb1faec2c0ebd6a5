/**
 * Owns the bounds on what one GraphQL request may ask for. Strapi's plugin bounds nesting
 * (depthLimit) and list sizes (defaultLimit/maxLimit); GraphQL Armor adds a query cost limit and
 * caps on aliases and directives; graphql-js caps tokens. Each is a 400 with a clear message.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';

export const GRAPHQL_LIMITS = {
  depth: 10,
  defaultListSize: 25,
  maxListSize: 100,
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
  const { plugins, validationRules } = armor.protect();
  // The token cap is graphql-js's own parse option: a parse failure is a 400 in Apollo, where a
  // plugin throwing while parsing (Armor's maxTokens) would be a 500.
  return { plugins, validationRules, parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens } };
}

