/**
 * Owns the mechanism behind each type's default public shape: a route middleware that fills in
 * `populate` when the request names none, so a front end gets what a page needs in one request
 * without knowing Strapi's populate syntax. A request that names `populate` (or `fields`
 * without `populate`) gets exactly what it asked for, so explicit queries still narrow the shape.
 * The shapes themselves live beside each type: `src/api/<type>/middlewares/<type>-populate.ts`.
 */
import type { Core } from '@strapi/strapi';

export type Populate = Record<string, unknown>;

export function defaultPopulate(populate: Populate): Core.MiddlewareHandler {
  return async (ctx, next) => {
    const query = ctx.query as Record<string, unknown>;
    if (query.populate === undefined && query.fields === undefined) {
      query.populate = populate;
      // Controllers add what populate cannot reach (reverse-relations.ts) only to default shapes.
      ctx.state.defaultShape = true;
    }
    await next();
  };
}

// Summaries always carry `locale`: with locale fallback a nested item may be in another language.

/** Fields of an organisation that a reference to it shows. */
export const ORGANISATION_SUMMARY = { fields: ['name', 'shortName', 'slug', 'kind', 'website', 'locale'] };

/** A person as shown inside other content: name, slug, photo and affiliations with organisation. */
export const PERSON_SUMMARY = {
  fields: ['name', 'slug', 'locale'],
  populate: {
    photo: true,
    affiliations: { populate: { organisation: ORGANISATION_SUMMARY } },
  },
};

/** An event as shown inside other content. */
export const EVENT_SUMMARY = {
  fields: ['title', 'slug', 'summary', 'startsAt', 'endsAt', 'timeZone', 'kind', 'eventStatus', 'attendanceMode', 'locale'],
  populate: { venue: true },
};

export const TOPIC_SUMMARY = { fields: ['name', 'slug', 'locale'] };

export const ARTICLE_SUMMARY = {
  fields: ['title', 'slug', 'lead', 'publishedAt', 'locale'],
  populate: { cover: true, topics: TOPIC_SUMMARY },
};
