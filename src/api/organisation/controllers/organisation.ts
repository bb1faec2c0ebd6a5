import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../features/editorial/slug/lookup';
import { attachPeopleToOrganisations } from '../../../lib/shapes/reverse-relations';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';
import { ORGANISATION_LISTS } from '../middlewares/organisation-populate';

// Every read (list, single, slug) in the default shape also lists the organisation's people and latest events.
export default factories.createCoreController('api::organisation.organisation', ({ strapi }) =>
  Object.assign(
    defaultShapeController(strapi, 'api::organisation.organisation', {
      decorate: (sanitized) => attachPeopleToOrganisations(strapi, sanitized),
      lists: ORGANISATION_LISTS,
    }),
    { findBySlug: findBySlugAction(strapi, 'api::organisation.organisation') },
  ),
);
