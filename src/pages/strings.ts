import { he } from './i18n/he.ts';

/**
 * The Hebrew texts for the pages the HTTP layer renders outside a negotiated language (error pages).
 * Applicant pages take their texts from `./i18n/` in the applicant's language.
 */
export const text = he;
