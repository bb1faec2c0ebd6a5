/**
 * Merging duplicates (src/api/partner/merge/): how long a merge can be undone. Read once at boot; a bad
 * value stops the boot with the variable's name.
 *
 * - MERGE_UNDO_DAYS: days after a merge during which an editor can undo it (default 30, 1 to
 *   3650). The merge record (the merged document's rows, what the merge changed) is kept after
 *   that too, but an undo is refused (410 `undo-expired`).
 */
import type { Core } from '@strapi/strapi';

export interface MergeConfig {
  undoDays: number;
}

export default ({ env }: Core.Config.Shared.ConfigParams): MergeConfig => {
  const value = env('MERGE_UNDO_DAYS', '').trim();
  if (value === '') return { undoDays: 30 };
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 3650) {
    throw new Error(`MERGE_UNDO_DAYS must be a whole number of days from 1 to 3650; got "${value}"`);
  }
  return { undoDays: days };
};
