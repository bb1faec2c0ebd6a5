/** Half 2 of the response cache's exactness pairs and the run with invalidation switched off: ./exactness.ts. */
import { exactnessHalf } from './exactness';

exactnessHalf(2);
