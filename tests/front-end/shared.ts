/** What the front-end page tests need beyond the seed facts in ../public-api/shared.ts. */
import type { JsonBody, TestApp } from '../helpers/app';

export const FESTIVAL = { da: { slug: 'folkemoedet-2023' }, en: { slug: 'folkemoedet-2023' } };

/** GET a REST path anonymously; fails the test on anything but 200. */
export async function getJson(app: TestApp, path: string): Promise<JsonBody> {
  const response = await app.http().get(path);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** POST a GraphQL query anonymously; fails the test on errors. */
export async function queryGraphql(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<JsonBody> {
  const { status, body } = await app.graphql(query, variables);
  if (status !== 200 || body.errors) throw new Error(`GraphQL answered ${status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Groups events by their Copenhagen calendar day, as a festival programme shows them. */
export function byLocalDay<T extends { startsAtLocal: string }>(events: T[]): Record<string, T[]> {
  const days: Record<string, T[]> = {};
  for (const event of events) (days[event.startsAtLocal.slice(0, 10)] ??= []).push(event);
  return days;
}
