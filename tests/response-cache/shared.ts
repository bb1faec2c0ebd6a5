/** Raw HTTP for the response-cache tests: the exact bytes and headers, nothing decoded. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../helpers/app';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Makes the app listen on a free loopback port (once) and returns its base URL. */
export async function listen(app: TestApp): Promise<string> {
  const server = app.strapi.server.httpServer;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function raw(
  app: TestApp,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const base = await listen(app);
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A GraphQL POST, raw. */
export const rawGraphql = (app: TestApp, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const body = JSON.stringify({ query, variables });
  return raw(app, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
};

export const json = (response: RawResponse) => JSON.parse(response.body.toString('utf8'));
