import { factories } from '@strapi/strapi';
import { defaultShapeController } from '../../../lib/shapes/default-shape-reads';

export default factories.createCoreController('api::quote.quote', ({ strapi }) => defaultShapeController(strapi, 'api::quote.quote'));
