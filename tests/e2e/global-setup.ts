/** Once per `npm run test:e2e`: test-artifacts/e2e/ holds only this run's screenshots and logs. */
import { mkdirSync, rmSync } from 'fs';
import { ARTIFACTS } from './app-process';

export default function globalSetup(): void {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}
