/** After the last test file: drops this run's database templates. */
import { dropTemplates } from './templates';

export default async function globalTeardown(): Promise<void> {
  await dropTemplates();
}
