/** Half 1 of the response cache's exactness pairs: ./exactness.ts. */
import { exactnessHalf } from './exactness';

exactnessHalf(1);
