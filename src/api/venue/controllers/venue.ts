import { factories } from '@strapi/strapi';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

export default factories.createCoreController('api::venue.venue', ({ strapi }) => defaultShapeController(strapi, 'api::venue.venue'));
