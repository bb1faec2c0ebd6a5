/**
 * What a test writes through the Document Service. Strapi's generated input type requires every
 * required field (the slug our lifecycles fill, for one) and has no room for what the Document
 * Service accepts besides (a relation inside a component by documentId, null to clear a field).
 * A test gives only the fields it is about, as an editor does: their names are checked against
 * the content type's schema, their values are what Strapi takes at run time.
 */
import type { Core, Modules, UID } from '@strapi/strapi';

type Input<T extends UID.ContentType> = Modules.Documents.Params.Data.Input<T>;
export type SomeFields<T extends UID.ContentType> = { [K in keyof Input<T>]?: unknown };

/** `data` for create/update of `uid`: some of its fields. */
export function someFields<T extends UID.ContentType>(_uid: T, data: SomeFields<T>): Input<T> {
  return data as Input<T>;
}

/** A document as the Document Service answers it, its fields read by the test. */
export type Entry = { id: number; documentId: string; [field: string]: unknown };

/**
 * The Document Service for a content type the test picks at run time (a table of cases, a uid
 * parameter): params and answers as plain records, since no one uid's types apply.
 */
export interface LooseDocuments {
  create(params: Record<string, unknown>): Promise<Entry>;
  update(params: Record<string, unknown>): Promise<Entry | null>;
  publish(params: Record<string, unknown>): Promise<unknown>;
  delete(params: Record<string, unknown>): Promise<unknown>;
  findOne(params: Record<string, unknown>): Promise<Entry | null>;
  findFirst(params: Record<string, unknown>): Promise<Entry | null>;
  findMany(params: Record<string, unknown>): Promise<Entry[]>;
}

export const looseDocuments = (strapi: Core.Strapi, uid: string): LooseDocuments =>
  strapi.documents(uid as UID.ContentType) as unknown as LooseDocuments;
