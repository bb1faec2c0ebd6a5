/**
 * A newcomer's first admin user, from the environment, so `npm run demo` lands in a working
 * admin instead of the registration form: `ADMIN_EMAIL`, `ADMIN_PASSWORD` and optionally
 * `ADMIN_FIRSTNAME`/`ADMIN_LASTNAME`. Only with NODE_ENV=development, and only while the
 * database has no admin user at all; anywhere else the variables are ignored with a warning.
 * A bad email or a password Strapi would refuse stops the boot with a message naming the
 * variable (never its value), and nothing is created.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';

export interface FirstAdminEnv {
  NODE_ENV?: string;
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  ADMIN_FIRSTNAME?: string;
  ADMIN_LASTNAME?: string;
}

export type FirstAdminOutcome = 'created' | 'not-configured' | 'not-development' | 'admin-exists';

// Strapi's own rules for admin passwords (admin registration validator).
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .refine((value) => Buffer.byteLength(value, 'utf8') <= 72, 'must be at most 72 bytes')
  .refine((value) => /[a-z]/.test(value), 'must contain a lowercase letter')
  .refine((value) => /[A-Z]/.test(value), 'must contain an uppercase letter')
  .refine((value) => /\d/.test(value), 'must contain a digit');

const firstAdmin = z.object({
  ADMIN_EMAIL: z.email('must be an email address').transform((email) => email.toLowerCase()),
  ADMIN_PASSWORD: password,
  ADMIN_FIRSTNAME: z.string().trim().min(1).max(100).default('Admin'),
  ADMIN_LASTNAME: z.string().trim().max(100).optional(),
});

export class FirstAdminConfigError extends Error {}

export async function ensureFirstAdmin(strapi: Core.Strapi, env: FirstAdminEnv = process.env): Promise<FirstAdminOutcome> {
  if (!env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) return 'not-configured';
  if (env.NODE_ENV !== 'development') {
    // Loud in production, where someone may expect it to work; quiet in tests, which load a developer's .env.
    const message = `[admin] ADMIN_EMAIL/ADMIN_PASSWORD are ignored unless NODE_ENV=development (it is ${env.NODE_ENV ?? 'unset'})`;
    if (env.NODE_ENV === 'production') strapi.log.warn(message);
    else strapi.log.debug(message);
    return 'not-development';
  }

  const users = strapi.service('admin::user') as {
    exists(): Promise<boolean>;
    createFirstAdmin(attributes: { email: string; password: string; firstname: string; lastname?: string }): Promise<{ id: number }>;
  };
  if (await users.exists()) return 'admin-exists';

  const parsed = firstAdmin.safeParse({
    ADMIN_EMAIL: env.ADMIN_EMAIL,
    ADMIN_PASSWORD: env.ADMIN_PASSWORD,
    ADMIN_FIRSTNAME: env.ADMIN_FIRSTNAME || undefined,
    ADMIN_LASTNAME: env.ADMIN_LASTNAME || undefined,
  });
  if (!parsed.success) {
    // Name the variable and the rule; never echo the value (it may be the password).
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new FirstAdminConfigError(`[admin] cannot create the first admin user: ${problems.join('; ')}`);
  }

  const { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_FIRSTNAME, ADMIN_LASTNAME } = parsed.data;
  // Strapi's own first-admin path: Super Admin role, and a lock so two boots cannot both create one.
  await users.createFirstAdmin({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, firstname: ADMIN_FIRSTNAME, lastname: ADMIN_LASTNAME });
  strapi.log.info(`[admin] created the first admin user ${ADMIN_EMAIL} (Super Admin) from ADMIN_EMAIL/ADMIN_PASSWORD`);
  return 'created';
}
