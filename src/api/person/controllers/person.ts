import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { attachEventsToPeople } from '../../../lib/shapes/reverse-relations';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

// Every read (list, single, slug) in the default shape also lists the person's events.
export default factories.createCoreController('api::person.person', ({ strapi }) =>
  Object.assign(
    defaultShapeController(strapi, 'api::person.person', { decorate: (sanitized) => attachEventsToPeople(strapi, sanitized) }),
    { findBySlug: findBySlugAction(strapi, 'api::person.person') },
  ),
);
