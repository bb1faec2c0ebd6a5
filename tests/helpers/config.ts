/**
 * Runs one of our config/*.ts factories with Strapi's own `env` helper over chosen variables,
 * as Strapi does at boot, and puts the environment back afterwards. For tests of a config
 * file's defaults and validation without booting an app.
 */
import { env } from '@strapi/utils';
import type { Core } from '@strapi/strapi';

export function loadConfig<T>(
  factory: (params: Core.Config.Shared.ConfigParams) => T,
  variables: Record<string, string | undefined>,
): T {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(variables);
  try {
    return factory({ env } as Core.Config.Shared.ConfigParams);
  } finally {
    apply(saved);
  }
}
