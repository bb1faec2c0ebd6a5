/**
 * Once per `npm run test:e2e`: test-artifacts/e2e/ holds only this run's screenshots and logs,
 * and the admin is built once for every spec (the build does not depend on a spec's port,
 * database or secrets; the bundle asks the origin it is served from).
 */
import { mkdirSync, rmSync } from 'fs';
import { ARTIFACTS, buildAdmin, e2eEnv } from './app-process';

export default async function globalSetup(): Promise<void> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const seconds = buildAdmin((await e2eEnv()).env);
  console.log(`e2e: admin build (strapi build) took ${seconds.toFixed(1)} s, once for all specs`);
  process.env.E2E_ADMIN_BUILT = '1';
}
