/**
 * The run's two database templates (see ./database.ts): built once by the global setup on the
 * database kind this run tests (TEST_DB), handed to the workers in an environment variable, and
 * dropped by the global teardown. They are made the way a test would make them: a first boot of
 * the app on an empty database, then a boot that loads the demo content.
 */
import fs from 'fs';
import path from 'path';
import { startApp } from './app';
import { copyDatabase, createTestDatabase, dropTemplate, TEMPLATES_VARIABLE, TEST_DB_KIND, type TemplateRecord } from './database';
import { APP_DIR } from './paths';

export async function buildTemplates(): Promise<void> {
  const environment = { ...process.env };
  const db = await createTestDatabase(TEST_DB_KIND, 'empty');
  try {
    const first = await startApp({ database: db });
    await first.stop({ keepDatabase: true });
    const schemaName = `${path.basename(db.location, '.db')}_schema`;
    const schema: TemplateRecord = {
      kind: db.kind,
      location: db.kind === 'sqlite' ? path.join(path.dirname(db.location), `${schemaName}.db`) : schemaName,
      publicDir: path.join(APP_DIR, '.tmp', `${schemaName}-public`),
    };
    await copyDatabase(db, schema.location);
    fs.cpSync(db.publicDir, schema.publicDir, { recursive: true });

    const second = await startApp({ database: db, seed: true });
    await second.stop({ keepDatabase: true });
    const seeded: TemplateRecord = { kind: db.kind, location: db.location, publicDir: db.publicDir };
    restoreEnvironment(environment);
    process.env[TEMPLATES_VARIABLE] = JSON.stringify({ schema, seeded });
  } catch (error) {
    restoreEnvironment(environment);
    await db.drop();
    throw error;
  }
}

export async function dropTemplates(): Promise<void> {
  const text = process.env[TEMPLATES_VARIABLE];
  if (!text) return;
  for (const template of Object.values(JSON.parse(text) as Record<string, TemplateRecord>)) await dropTemplate(template);
  delete process.env[TEMPLATES_VARIABLE];
}

/** startApp sets the app's variables in process.env; the workers must not inherit them from here. */
function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
}
