// @ts-check
// What every command in scripts/ shares: its options parsed one way (node's util.parseArgs,
// strict), a refusal that says what is wrong followed by the options the command takes (exit 2,
// before anything is written), `--help`, and one way to boot the compiled app and end it cleanly
// on both databases (src/lib/lifecycle/stop.ts: wait for Strapi's unawaited queries, then
// destroy). Exit codes: 0 done, 2 refused (bad arguments, or a request the command will not
// carry out), 1 failed.
'use strict';

const path = require('path');
const { parseArgs } = require('util');
const { compiledApp } = require('./compiled-app');

const APP_DIR = path.resolve(__dirname, '..', '..');

/**
 * @typedef {{
 *   type: 'string' | 'boolean';
 *   description: string;
 *   value?: string;
 *   default?: string | boolean;
 *   required?: boolean;
 *   short?: string;
 * }} OptionSpec
 * @typedef {{ summary: string; options?: Record<string, OptionSpec> }} CommandSpec
 * @typedef {{
 *   name: string;
 *   summary: string;
 *   npm: string;
 *   commands?: Record<string, CommandSpec>;
 *   options?: Record<string, OptionSpec>;
 *   positionals?: { value: string; description: string };
 * }} CliSpec
 */

/** A refusal (or a failure already explained): printed as `<name>: <message>`, with the usage when `showUsage`; exit 2 unless told otherwise. */
class CliError extends Error {
  /** @param {string} message @param {{ showUsage?: boolean; command?: string; exitCode?: number }} [options] */
  constructor(message, { showUsage = false, command, exitCode = 2 } = {}) {
    super(message);
    this.name = 'CliError';
    this.showUsage = showUsage;
    /** The command whose usage to show; all of them when unset. */
    this.command = command;
    /** 2 for a refusal; 1 for a failure whose message says all there is to say (no stack). */
    this.exitCode = exitCode;
  }
}

/** @param {string} name @param {OptionSpec} spec */
function optionLine(name, spec) {
  const flag = `--${name}${spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : ''}`;
  const notes = [spec.required ? 'required' : '', spec.default !== undefined && spec.default !== false ? `default ${spec.default}` : ''].filter(Boolean);
  return `    ${flag.padEnd(30)} ${spec.description}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * The usage: every command's, or only `only`'s.
 * @param {CliSpec} spec @param {string} [only] @returns {string}
 */
function usageText(spec, only) {
  const lines = [`${spec.summary}`, ''];
  if (spec.commands) {
    for (const [command, commandSpec] of Object.entries(spec.commands)) {
      if (only && command !== only) continue;
      const options = Object.entries(commandSpec.options ?? {});
      const synopsis = options.map(([name, option]) => {
        const flag = `--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;
        return option.required ? flag : `[${flag}]`;
      });
      lines.push(`  npm run ${spec.npm}:${command}${synopsis.length ? ` -- ${synopsis.join(' ')}` : ''}`);
      lines.push(`    ${commandSpec.summary}`);
      for (const [name, option] of options) lines.push(optionLine(name, option));
      lines.push('');
    }
  } else {
    const options = Object.entries(spec.options ?? {});
    const positional = spec.positionals ? ` [${spec.positionals.value}]` : '';
    lines.push(`  npm run ${spec.npm}${options.length || positional ? ' --' : ''}${options.length ? ' [options]' : ''}${positional}`);
    if (spec.positionals) lines.push(`    ${spec.positionals.value.padEnd(30)} ${spec.positionals.description}`);
    for (const [name, option] of options) lines.push(optionLine(name, option));
    if (!options.length && !spec.positionals) lines.push('    (no options)');
    lines.push('');
  }
  lines.push(`  --help prints this.`);
  return lines.join('\n');
}

/**
 * Parses `argv` (process.argv.slice(2)) for `spec`: `{ command, values, positionals }`. Unknown
 * options, a missing value, a missing required option or an unknown command are CliErrors.
 * `--help` prints the usage and exits 0.
 * @param {CliSpec} spec
 * @param {string[]} argv
 * @returns {{ command: string | undefined; values: Record<string, string | boolean | undefined>; positionals: string[] }}
 */
function parseCommandLine(spec, argv) {
  let command;
  let rest = argv;
  /** @type {Record<string, OptionSpec>} */
  let options = spec.options ?? {};
  /** @param {string} [only] */
  const help = (only) => {
    console.log(usageText(spec, only));
    process.exit(0);
  };
  if (spec.commands) {
    if (argv[0] === '--help' || argv[0] === '-h') help();
    [command, ...rest] = argv;
    if (command === undefined) throw new CliError(`which command? one of ${Object.keys(spec.commands).join(', ')}`, { showUsage: true });
    if (!Object.hasOwn(spec.commands, command)) {
      throw new CliError(`unknown command "${command}"; one of ${Object.keys(spec.commands).join(', ')}`, { showUsage: true });
    }
    options = spec.commands[command]?.options ?? {};
  }
  /** @type {{ values: Record<string, string | boolean | undefined>; positionals: string[] }} */
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: Boolean(spec.positionals),
      options: {
        ...Object.fromEntries(
          Object.entries(options).map(([name, option]) => [
            name,
            { type: option.type, ...(option.default !== undefined && { default: option.default }), ...(option.short && { short: option.short }) },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs says "Unknown option '--partner'..." or "Option '--name <value>' argument missing".
    const message = /** @type {Error} */ (error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new CliError(command ? `${command}: ${message}` : message, { showUsage: true, command });
  }
  if (parsed.values.help) help(command);
  delete parsed.values.help;
  for (const [name, option] of Object.entries(options)) {
    if (option.required && (parsed.values[name] === undefined || parsed.values[name] === '')) {
      throw new CliError(`${command ? `${command}: ` : ''}--${name} is required (${option.description})`, { showUsage: true, command });
    }
  }
  return { command, values: parsed.values, positionals: parsed.positionals };
}

/**
 * Runs a command's `main` and ends the process: 0 when it returns, a CliError's code (2, with the
 * usage when the arguments were wrong) for a CliError, 1 with the stack for anything else.
 * @param {CliSpec} spec
 * @param {() => Promise<void>} main
 */
function runCommand(spec, main) {
  main().then(
    () => process.exit(0),
    (error) => {
      if (error instanceof CliError) {
        console.error(`${spec.name}: ${error.message}`);
        if (error.showUsage) console.error(`\n${usageText(spec, error.command)}`);
        process.exit(error.exitCode);
      }
      console.error(`${spec.name} failed:`, error?.stack ?? error);
      process.exit(1);
    },
  );
}

/**
 * Boots the compiled app without HTTP (compiling first when a source changed), runs `work`, and
 * always ends the instance with stopStrapi. One-off commands deliver no webhooks (the running app
 * does) and log warnings only, unless LOG_LEVEL says otherwise.
 * @template T
 * @param {(strapi: import('@strapi/strapi').Core.Strapi, app: { appDir: string; distDir: string }) => Promise<T>} work
 * @param {{ appDir?: string }} [options]
 * @returns {Promise<T>}
 */
async function withStrapi(work, { appDir = APP_DIR } = {}) {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  process.env.WEBHOOKS_WORKER = 'off';
  // Loaded only now: a bad argument is refused without loading Strapi (about a second).
  const { createStrapi } = require('@strapi/strapi');
  const appContext = await compiledApp(appDir);
  const strapi = createStrapi({ ...appContext, autoReload: false, serveAdminPanel: false });
  try {
    await strapi.load();
  } catch (error) {
    await strapi.destroy().catch(() => undefined);
    throw error;
  }
  /** @type {typeof import('../../src/lib/lifecycle/stop')} */
  const { stopStrapi } = require(path.join(appContext.distDir, 'src/lib/lifecycle/stop.js'));
  try {
    return await work(strapi, appContext);
  } finally {
    await stopStrapi(strapi);
  }
}

module.exports = { APP_DIR, CliError, parseCommandLine, runCommand, usageText, withStrapi };
