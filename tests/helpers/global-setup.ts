/** Compiles the app (TypeScript -> dist/) once before any test file boots it. */
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR } from './paths';

export default async function globalSetup(): Promise<void> {
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
}
