/**
 * Owns the list of secrets the app needs and the rule that production never starts
 * with one that is missing, empty, or still the placeholder from `.env.example`.
 * Imported by the config files, so it runs before Strapi touches the database.
 */

import secretList from './secrets.json';

/** Every secret Strapi reads; `scripts/ensure-env.mjs` generates values for the same list. */
export const SECRET_NAMES = Object.keys(secretList.secrets);

/** Values that mean "nobody set this": Strapi's own placeholders and ours. */
const PLACEHOLDER_PATTERN = /^(tobemodified\d*|changeme|change-me|example|secret|replace-me)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_PATTERN.test(value.trim().replace(/^["']|["']$/g, ''));
}

/** Returns one line per unusable secret; empty when all are fine. */
export function findSecretProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const name of SECRET_NAMES) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      problems.push(`${name} is missing or empty`);
      continue;
    }
    // APP_KEYS is a list: every key must be real.
    const parts = name === 'APP_KEYS' ? raw.split(',') : [raw];
    if (parts.some((part) => part.trim() === '' || isPlaceholder(part))) {
      problems.push(`${name} still holds an example value`);
    }
  }
  return problems;
}

export class InsecureConfigurationError extends Error {
  constructor(problems: string[]) {
    super(
      `Refusing to start in production: ${problems.join('; ')}. ` +
        'Set real random values in the environment (see .env.example; ' +
        '`node scripts/ensure-env.mjs` generates them for a local .env).'
    );
    this.name = 'InsecureConfigurationError';
  }
}

/** Throws in production when a secret is unusable; does nothing in other environments. */
export function assertProductionSecrets(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production') return;
  const problems = findSecretProblems(env);
  if (problems.length > 0) throw new InsecureConfigurationError(problems);
}
