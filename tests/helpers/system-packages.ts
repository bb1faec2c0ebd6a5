/**
 * Tests that need a program from the machine's packages (not from npm): on a machine without it
 * their block is skipped, under a title that names what is missing and the one command that
 * installs it (./missing-packages-reporter.js repeats it in jest's summary). Under CI=true or
 * REQUIRE_ALL_TESTS=1 a missing package is a failing test instead, so CI never passes by skipping.
 */
import { existsSync } from 'node:fs';

export interface SystemPackage {
  /** The program the tests start. */
  binary: string;
  /** What it is, for the reader of the summary. */
  what: string;
  /** The one command that installs it here (Debian). */
  install: string;
}

export const VARNISH: SystemPackage = {
  binary: '/usr/sbin/varnishd',
  what: "Debian's Varnish with the xkey vmod",
  install: 'apt-get update && apt-get install -y varnish varnish-modules',
};

/** Starts the title of a block skipped for a missing package; the reporter looks for it. */
export const MISSING_PACKAGE_MARK = '[needs a system package]';

export const allTestsRequired = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.CI === 'true' || env.CI === '1' || env.REQUIRE_ALL_TESTS === '1';

/** Why a block cannot run here: what is missing, and how to install it. */
export const missingPackageReason = (pkg: SystemPackage): string =>
  `${pkg.binary} is missing (${pkg.what}); install it with: ${pkg.install}`;

/**
 * `describe` when the machine has `pkg`. Without it: a skipped block whose title says why, or,
 * when every test is required, a block with one test that fails saying the same.
 */
export function describeWithPackage(pkg: SystemPackage, env: NodeJS.ProcessEnv = process.env, exists = existsSync) {
  return (name: string, body: () => void): void => {
    if (exists(pkg.binary)) {
      describe(name, body);
    } else if (allTestsRequired(env)) {
      describe(name, () => {
        it(`cannot run: ${missingPackageReason(pkg)} (CI=true or REQUIRE_ALL_TESTS=1 requires every test)`, () => {
          throw new Error(missingPackageReason(pkg));
        });
      });
    } else {
      describe.skip(`${MISSING_PACKAGE_MARK} ${name}: ${missingPackageReason(pkg)}`, body);
    }
  };
}
