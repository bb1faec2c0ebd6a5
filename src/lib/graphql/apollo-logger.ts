/**
 * Apollo Server's logger for the GraphQL plugin (config/plugins.ts): what Apollo's default logger
 * does (info and above to the console), less one warning that is not ours to act on.
 * `@strapi/plugin-graphql` 5.54 pins Apollo 4 and always passes
 * `status400ForVariableCoercionErrors: true`; under Apollo 5 (package.json's override) that is the
 * default, and Apollo warns about it on every boot, on stderr, in every command and test.
 */
type Log = (message?: unknown) => void;
export interface ApolloLogger {
  debug: Log;
  info: Log;
  warn: Log;
  error: Log;
}

const PLUGIN_DEFAULT_WARNING = /`status400ForVariableCoercionErrors: true` configuration option is now the default behavior/;

export function apolloLogger(): ApolloLogger {
  return {
    debug: () => undefined,
    info: (message) => console.info(message),
    warn: (message) => {
      if (!PLUGIN_DEFAULT_WARNING.test(String(message))) console.warn(message);
    },
    error: (message) => console.error(message),
  };
}
