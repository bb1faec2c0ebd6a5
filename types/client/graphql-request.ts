/**
 * Sends a typed GraphQL document (from ./graphql.ts) to the API with `fetch`: the variables are
 * checked against the document, the answer comes back as the document's result type.
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GraphQLErrorItem {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** An answer with `errors`, or a status other than 200: the status and the errors as sent. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorItem[]
  ) {
    super(`GraphQL answered ${status}: ${errors.map((error) => error.message).join('; ') || 'no errors listed'}`);
    this.name = 'GraphQLRequestError';
  }
}

export interface GraphQLRequestOptions {
  /** The GraphQL endpoint, e.g. `https://api.example.dk/graphql`. */
  url: string;
  /** Extra headers (an `Authorization` header makes the answer private and uncached). */
  headers?: Record<string, string>;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** Variables are optional when the document has none that are required. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables
  ? [variables?: TVariables]
  : [variables: TVariables];

export async function graphqlRequest<TResult, TVariables>(
  options: GraphQLRequestOptions,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArgument<TVariables>
): Promise<TResult> {
  const response = await (options.fetch ?? fetch)(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: TResult; errors?: GraphQLErrorItem[] };
  if (response.status !== 200 || body.errors?.length || body.data === undefined) {
    throw new GraphQLRequestError(response.status, body.errors ?? []);
  }
  return body.data;
}
