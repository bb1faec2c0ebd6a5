/** Finding the documents a JSON value holds: what a cached answer depends on, what a search row was built from. */
/** Adds every `documentId` in a JSON value (an answer, a populated document) to `found`, at any depth, in order of appearance. */
export function documentIdsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) documentIdsIn(item, found);
  } else if (value && typeof value === 'object') {
    const documentId = (value as { documentId?: unknown }).documentId;
    if (typeof documentId === 'string') found.add(documentId);
    for (const item of Object.values(value)) if (item && typeof item === 'object') documentIdsIn(item, found);
  }
}
