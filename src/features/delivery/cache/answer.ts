/**
 * A public answer as bytes, with everything needed to send it again: its headers, a strong
 * ETag (no Last-Modified: see notModified), surrogate keys, and its compressed forms (made
 * once per encoding, on first demand). The same `sendAnswer` writes it for a cache hit (a raw
 * Node response, before Koa) and for a miss (through Koa), so both send the same bytes and
 * headers.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { PUBLIC_CORS_HEADERS } from '../cors/policy';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface HttpCachePolicy {
  maxAge: number;
  sMaxAge: number;
  staleWhileRevalidate: number;
  compressMinBytes: number;
}

export interface Answer {
  /** Headers of the answer as built (content type, security headers…), lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
  /** Quoted strong ETag of the identity bytes; encodings add a suffix inside the quotes. */
  etag: string;
  surrogateKeys: string[];
  compressible: boolean;
  cacheControl: string;
  /** The request headers the bytes depend on (the plan's). */
  vary: string;
}

/** Headers that are worked out per request or per encoding, never replayed from the miss. */
const PER_REQUEST_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'cache-control',
  'vary',
  'surrogate-key',
  'cache-tag',
  'x-powered-by',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'retry-after',
]);

const COMPRESSIBLE = /json|text\/|calendar|javascript|xml|graphql/i;

export function replayableHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Rate-limit headers belong to the request that built the answer, not to later hits.
    if (value === undefined || PER_REQUEST_HEADERS.has(lower) || /^(access-control-|ratelimit-)/.test(lower)) continue;
    kept[lower] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}

export function cacheControlFor(policy: HttpCachePolicy, clockDependent: boolean): string {
  // An answer that depends on the clock is not purged when it goes stale: the CDN keeps it no
  // longer than a browser does.
  const sMaxAge = clockDependent ? policy.maxAge : policy.sMaxAge;
  return `public, max-age=${policy.maxAge}, s-maxage=${sMaxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}`;
}

export function makeAnswer(input: {
  headers: Record<string, string>;
  body: Buffer;
  surrogateKeys: string[];
  cacheControl: string;
  compressMinBytes: number;
  vary: string;
}): Answer {
  const etag = `"${createHash('sha256').update(input.body).digest('base64url').slice(0, 32)}"`;
  const contentType = input.headers['content-type'] ?? '';
  return {
    headers: input.headers,
    body: input.body,
    encoded: {},
    etag,
    surrogateKeys: input.surrogateKeys,
    compressible: input.body.length >= input.compressMinBytes && COMPRESSIBLE.test(contentType),
    cacheControl: input.cacheControl,
    vary: input.vary,
  };
}

/** The client's preferred encoding we can send: br, then gzip, else identity. */
export function chooseEncoding(acceptEncoding: string | undefined, answer: Answer): Encoding {
  if (!answer.compressible || !acceptEncoding) return 'identity';
  let br = false;
  let gzip = false;
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [token, ...parameters] = part.trim().split(';');
    const refused = parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(parameter));
    if (refused) continue;
    if (token === 'br') br = true;
    else if (token === 'gzip' || token === 'x-gzip') gzip = true;
    else if (token === '*') {
      br = true;
      gzip = true;
    }
  }
  return br ? 'br' : gzip ? 'gzip' : 'identity';
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The answer's bytes in an encoding, compressing (once) on first demand. */
export async function bytesFor(answer: Answer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'identity') return answer.body;
  const ready = answer.encoded[encoding];
  if (ready) return ready;
  const bytes =
    encoding === 'br'
      ? await brotli(answer.body, {
          params: {
            // Quality 5: most of brotli's gain at a fraction of its top setting's time.
            [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: answer.body.length,
          },
        })
      : await gzip(answer.body, { level: 6 });
  answer.encoded[encoding] = bytes;
  return bytes;
}

export const etagFor = (answer: Answer, encoding: Encoding) =>
  encoding === 'identity' ? answer.etag : `${answer.etag.slice(0, -1)}-${encoding}"`;

/**
 * If-None-Match by weak comparison (RFC 9110 13.1.2), any encoding's tag of these bytes. There is
 * no Last-Modified, so If-Modified-Since is never a reason for a 304: no date in an answer
 * changes whenever its bytes do (unpublishing an older item of a list, editing a document shown
 * inside another, a deletion), and HTTP dates have whole seconds.
 */
export function notModified(requestHeaders: IncomingHttpHeaders, answer: Answer): boolean {
  const ifNoneMatch = requestHeaders['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const base = answer.etag.slice(1, -1);
    return ifNoneMatch.split(',').some((candidate) => {
      const tag = candidate.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
      return tag === base || tag === `${base}-br` || tag === `${base}-gzip`;
    });
  }
  return false;
}

/** Every header of the answer for one encoding (status 200 or 304). */
export function headersFor(answer: Answer, encoding: Encoding, length: number, notModifiedAnswer: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    ...answer.headers,
    etag: etagFor(answer, encoding),
    'cache-control': answer.cacheControl,
    vary: answer.vary,
    ...PUBLIC_CORS_HEADERS,
  };
  if (answer.surrogateKeys.length > 0) {
    headers['surrogate-key'] = answer.surrogateKeys.join(' ');
    headers['cache-tag'] = answer.surrogateKeys.join(',');
  }
  if (notModifiedAnswer) {
    delete headers['content-type'];
    return headers;
  }
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(length);
  return headers;
}

/** Writes the answer to a raw Node response: the cache hit path, before Koa. */
export async function sendAnswer(
  request: { method?: string; headers: IncomingHttpHeaders },
  response: ServerResponse,
  answer: Answer,
): Promise<void> {
  const encoding = chooseEncoding(request.headers['accept-encoding'], answer);
  if (notModified(request.headers, answer)) {
    response.writeHead(304, headersFor(answer, encoding, 0, true));
    response.end();
    return;
  }
  const bytes = await bytesFor(answer, encoding);
  response.writeHead(200, headersFor(answer, encoding, bytes.length, false));
  if (request.method === 'HEAD') response.end();
  else response.end(bytes);
}
