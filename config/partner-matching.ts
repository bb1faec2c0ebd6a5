/**
 * Partner matching (src/api/partner/matching/event-matching.ts): when a partner's new event is
 * taken to be one the hub already has. Read once at boot; a bad value stops the boot with the
 * variable's name.
 *
 * - PARTNER_MATCH_START_TOLERANCE_MINUTES: how far apart two start times may be and still be
 *   "the same start", in minutes (default 5; 0 = the same instant).
 * - PARTNER_MATCH_TITLE_CONFIDENT: title similarity (0..1) from which a match at the same start
 *   and venue is linked without asking (default 0.85).
 * - PARTNER_MATCH_TITLE_DOUBTFUL: title similarity from which such a match goes to review
 *   instead ("pending-review"); below it the event is a different one (default 0.5).
 */
import type { Core } from '@strapi/strapi';

export interface PartnerMatchingConfig {
  startToleranceMinutes: number;
  titleConfident: number;
  titleDoubtful: number;
}

export default ({ env }: Core.Config.Shared.ConfigParams): PartnerMatchingConfig => {
  const raw = (name: string) => env(name, '').trim();
  const number = (name: string, fallback: number, min: number, max: number, whole: boolean) => {
    const value = raw(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || (whole && !Number.isInteger(parsed)) || parsed < min || parsed > max) {
      throw new Error(`${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${value}"`);
    }
    return parsed;
  };
  const config = {
    startToleranceMinutes: number('PARTNER_MATCH_START_TOLERANCE_MINUTES', 5, 0, 120, true),
    titleConfident: number('PARTNER_MATCH_TITLE_CONFIDENT', 0.85, 0, 1, false),
    titleDoubtful: number('PARTNER_MATCH_TITLE_DOUBTFUL', 0.5, 0, 1, false),
  };
  if (config.titleDoubtful > config.titleConfident) {
    throw new Error('PARTNER_MATCH_TITLE_DOUBTFUL must not be above PARTNER_MATCH_TITLE_CONFIDENT');
  }
  return config;
};
