/**
 * Patch "db-metadata" (a read, nothing is replaced): src/lib/db/references.ts finds every
 * relation into a type, join tables included, in Strapi's database metadata. Strapi types
 * `strapi.db.metadata` with `get(uid)` only; listing every model needs it to be what it is in
 * @strapi/database (metadata/metadata.js): a Map of uid to { uid, tableName, attributes }.
 */
import type { Core } from '@strapi/strapi';
import { describeValue, expectShape, isMap, markInstalled } from './seam';

export const PATCH = 'db-metadata';

/** The part of a model's metadata the readers use; their own interfaces narrow it. */
export interface ModelMetadata {
  uid: string;
  tableName: string;
  attributes: Record<string, unknown>;
}

function isModelMetadata(value: unknown): value is ModelMetadata {
  const meta = value as Partial<ModelMetadata> | undefined;
  return typeof meta?.uid === 'string' && typeof meta.tableName === 'string' && !!meta.attributes && typeof meta.attributes === 'object';
}

/** Checks that `metadata` (Strapi's unless given) is a Map of model metadata; throws a SeamError when not. */
export function checkDbMetadata(strapi: Core.Strapi, metadata: unknown = strapi.db.metadata): void {
  expectShape(strapi, PATCH, isMap(metadata), 'strapi.db.metadata to be a Map of uid to model metadata', () => `it is ${describeValue(metadata)}`);
  const entries = [...(metadata as Map<unknown, unknown>).entries()];
  const odd = entries.find(([uid, meta]) => !isModelMetadata(meta) || meta.uid !== uid);
  expectShape(
    strapi,
    PATCH,
    entries.length > 0 && !odd,
    'every entry of strapi.db.metadata to be { uid, tableName, attributes } under its uid',
    () => (odd ? `${String(odd[0])} is ${describeValue(odd[1])}${isModelMetadata(odd[1]) ? ` with uid ${odd[1].uid}` : ''}` : 'no entries'),
  );
  markInstalled(strapi, PATCH);
}

/** Every model's metadata: content types, components and Strapi's own. */
export function allModelMetadata<M extends ModelMetadata>(strapi: Core.Strapi): M[] {
  return [...(strapi.db.metadata as unknown as Map<string, M>).values()];
}

/** One model's metadata, or undefined for an unknown uid. */
export function modelMetadata<M extends ModelMetadata>(strapi: Core.Strapi, uid: string): M | undefined {
  return (strapi.db.metadata as unknown as Map<string, M>).get(uid);
}
