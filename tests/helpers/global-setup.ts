/**
 * Before any test file: compiles the app (TypeScript -> dist/) once, then builds this run's
 * database templates (./templates.ts) from that build.
 */
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR } from './paths';
import { buildTemplates } from './templates';

export default async function globalSetup(): Promise<void> {
  // Once, at the start: which runtime and database this run tests.
  process.stdout.write(`\ntests: Node ${process.version}, database ${process.env.TEST_DB === 'postgres' ? 'PostgreSQL' : 'SQLite'}\n`);
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  await buildTemplates();
}
