import type { z } from 'zod';
import type { accessibilitySchema, programmeContactSchema } from './schema.ts';

// Shipped so that a fresh installation renders whole pages; every installation replaces them in its settings
// file (`contact`, `accessibility`). The addresses are on the reserved .example domain, so a forgotten
// replacement bounces instead of reaching a stranger.

/** The programme's address and phone, until the settings give its own. */
export const shippedContact: z.input<typeof programmeContactSchema> = {
  email: 'stem@kehila.example',
  phone: '+972 8 000 0000',
};

/** The accessibility coordinator and the last review of the pages, until the settings give their own. */
export const shippedAccessibility: z.input<typeof accessibilitySchema> = {
  coordinator: {
    name: {
      he: 'צוות הנגישות של רשת muni:STEM',
      ar: 'فريق الإتاحة في شبكة muni:STEM',
      en: 'The muni:STEM network accessibility team',
    },
    email: 'access@kehila.example',
    phone: '+972 8 000 0000',
  },
  lastReviewed: '2026-12-01',
};
