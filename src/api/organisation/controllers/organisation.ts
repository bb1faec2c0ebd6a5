import { factories } from '@strapi/strapi';
import { findBySlugAction } from '../../../lib/slug/lookup';

export default factories.createCoreController('api::organisation.organisation', ({ strapi }) => ({
  findBySlug: findBySlugAction(strapi, 'api::organisation.organisation'),
}));
