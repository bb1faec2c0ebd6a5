/**
 * What a test writes through the Document Service. Strapi's generated input type requires every
 * required field (the slug our lifecycles fill, for one) and has no room for what the Document
 * Service accepts besides (a relation inside a component by documentId, null to clear a field).
 * A test gives only the fields it is about, as an editor does: their names are checked against
 * the content type's schema, their values are what Strapi takes at run time.
 */
import type { Modules, UID } from '@strapi/strapi';

type Input<T extends UID.ContentType> = Modules.Documents.Params.Data.Input<T>;
export type SomeFields<T extends UID.ContentType> = { [K in keyof Input<T>]?: unknown };

/** `data` for create/update of `uid`: some of its fields. */
export function someFields<T extends UID.ContentType>(_uid: T, data: SomeFields<T>): Input<T> {
  return data as Input<T>;
}
