import { factories } from '@strapi/strapi';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';
import { VENUE_LISTS } from '../middlewares/venue-populate';

// Every read in the default shape carries the venue's latest events.
export default factories.createCoreController('api::venue.venue', ({ strapi }) =>
  defaultShapeController(strapi, 'api::venue.venue', { lists: VENUE_LISTS }),
);
