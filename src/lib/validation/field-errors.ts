/**
 * Zod issues as the field errors every 400 of ours lists in `error.details.errors`:
 * `{ pointer, path, message }`, one per bad field, an unknown key pointed at itself.
 */
import type { z } from 'zod';

export interface FieldError {
  /** JSON pointer (RFC 6901) to the bad field in the request body. */
  pointer: string;
  path: Array<string | number>;
  message: string;
}

const escapePointer = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

export function pointerOf(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${escapePointer(segment)}`).join('');
}

export function fieldErrors(error: z.ZodError, prefix: Array<string | number> = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...(issue.path as Array<string | number>)];
    // An unknown key is reported on the object; point at the key itself instead.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [null];
    return keys.map((key) => {
      const path = key === null ? base : [...base, key];
      const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
      return { pointer: pointerOf(path), path, message };
    });
  });
}

