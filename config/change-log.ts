/**
 * Change-log retention (src/lib/sync/compaction.ts), read once at boot so a bad value stops the
 * app with the variable's name.
 *
 * - CHANGE_LOG_RETENTION_DAYS: how long every change stays in the log as it happened (default
 *   90). Older changes of a document that has a later one are folded into that later one; older
 *   tombstones (unpublished, deleted) are dropped, and a feed cursor from before them is refused
 *   with 410 (the client starts a new sync).
 * - CHANGE_LOG_COMPACT_EVERY_MINUTES: how often an instance compacts (default 60; 0 = never,
 *   leaving it to `npm run sync:compact` or another instance). Instances take turns: on
 *   PostgreSQL one compacts at a time (an advisory lock).
 */
import type { Core } from '@strapi/strapi';

export interface ChangeLogConfig {
  retentionDays: number;
  compactEveryMinutes: number;
}

export default ({ env }: Core.Config.Shared.ConfigParams): ChangeLogConfig => {
  const whole = (name: string, fallback: number, min: number) => {
    const value = env(name, '').trim();
    if (value === '') return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${name} must be a whole number ≥ ${min}; got "${value}"`);
    return Number(value);
  };
  return {
    retentionDays: whole('CHANGE_LOG_RETENTION_DAYS', 90, 1),
    compactEveryMinutes: whole('CHANGE_LOG_COMPACT_EVERY_MINUTES', 60, 0),
  };
};
