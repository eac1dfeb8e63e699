import { z } from 'zod';
import { negevCheckins } from './checkins/negev.ts';
import { type Programme, type ProgrammeInput, programmeSchema } from './checkins/schema.ts';
import { shippedAccessibility, shippedContact } from './contact.ts';
import { leadingTeam2027 } from './leading-team-2027.ts';
import {
  type AccessibilitySettings,
  accessibilitySchema,
  type Branding,
  brandingSchema,
  type Cohort,
  type CohortInput,
  cohortSchema,
  type ProgrammeContact,
  programmeContactSchema,
  type StaffMember,
  staffMemberSchema,
} from './schema.ts';
import { withReviewers } from './staff.ts';

export type { ActionLine, Lead, LeadLang, Programme } from './checkins/schema.ts';
export type {
  AccessibilitySettings,
  Branding,
  Choice,
  Cohort,
  Meeting,
  ProgrammeContact,
  ReviewPolicy,
  StaffMember,
  StaffRole,
} from './schema.ts';

/** The definitions as shipped; deployment settings are merged over these. */
export const shippedCohorts: CohortInput[] = [leadingTeam2027];
export const DEFAULT_COHORT = leadingTeam2027.id;
export const shippedProgrammes: ProgrammeInput[] = [negevCheckins];

export interface Workflows {
  cohorts: ReadonlyMap<string, Cohort>;
  programmes: ReadonlyMap<string, Programme>;
  defaultCohort: string;
  /** Everyone who may sign in: the settings' staff list, with every cohort's reviewers and deciders as reviewers. */
  staff: readonly StaffMember[];
  /** The programme's address and phone for applicants, on pages and in every e-mail. */
  contact: ProgrammeContact;
  /** The accessibility statement's coordinator and date of review. */
  accessibility: AccessibilitySettings;
  /** The programme's name and logo on the applicant pages; empty: the network's name as shipped. */
  branding: Branding;
}

/** A definition or settings file that does not validate; the message names every bad path. */
export class WorkflowError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid workflow definitions:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkflowError';
  }
}

const settingsSchema = z
  .object({
    defaultCohort: z.string().optional(),
    cohorts: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    programmes: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    staff: z.array(staffMemberSchema).default([]),
    // Partial here, merged over the shipped values and checked whole below, like a cohort's settings.
    contact: z.record(z.string(), z.unknown()).default({}),
    accessibility: z.record(z.string(), z.unknown()).default({}),
    branding: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars in the override replace the base. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override))
    return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = deepMerge(out[key], value);
  }
  return out as T;
}

/** Validates the shipped definitions with deployment settings merged over them. */
export function loadWorkflows(
  settings: unknown = {},
  definitions: CohortInput[] = shippedCohorts,
  programmeDefinitions: ProgrammeInput[] = shippedProgrammes,
): Workflows {
  const problems: string[] = [];
  const parsedSettings = settingsSchema.safeParse(settings ?? {});
  if (!parsedSettings.success) {
    throw new WorkflowError(
      parsedSettings.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`),
    );
  }
  const overrides = parsedSettings.data.cohorts;
  const cohorts = new Map<string, Cohort>();
  for (const unknownId of Object.keys(overrides)) {
    if (!definitions.some((d) => d.id === unknownId))
      problems.push(`settings.cohorts.${unknownId}: no such cohort`);
  }
  for (const definition of definitions) {
    const merged = deepMerge(definition, overrides[definition.id]);
    const result = cohortSchema.safeParse(merged);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${definition.id}.${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    cohorts.set(result.data.id, result.data);
  }
  const programmes = new Map<string, Programme>();
  const programmeOverrides = parsedSettings.data.programmes;
  for (const unknownId of Object.keys(programmeOverrides)) {
    if (!programmeDefinitions.some((d) => d.id === unknownId))
      problems.push(`settings.programmes.${unknownId}: no such programme`);
  }
  for (const definition of programmeDefinitions) {
    const result = programmeSchema.safeParse(deepMerge(definition, programmeOverrides[definition.id]));
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${definition.id}.${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    programmes.set(result.data.id, result.data);
  }
  const contact = programmeContactSchema.safeParse(deepMerge(shippedContact, parsedSettings.data.contact));
  if (!contact.success)
    for (const issue of contact.error.issues)
      problems.push(`contact.${issue.path.join('.')}: ${issue.message}`);
  const accessibility = accessibilitySchema.safeParse(
    deepMerge(shippedAccessibility, parsedSettings.data.accessibility),
  );
  if (!accessibility.success)
    for (const issue of accessibility.error.issues)
      problems.push(`accessibility.${issue.path.join('.')}: ${issue.message}`);
  const branding = brandingSchema.safeParse(parsedSettings.data.branding);
  if (!branding.success)
    for (const issue of branding.error.issues)
      problems.push(`branding.${issue.path.join('.')}: ${issue.message}`);
  const defaultCohort = parsedSettings.data.defaultCohort ?? DEFAULT_COHORT;
  if (!cohorts.has(defaultCohort) && problems.length === 0)
    problems.push(`defaultCohort: no cohort ${defaultCohort}`);
  if (problems.length > 0 || !contact.success || !accessibility.success || !branding.success)
    throw new WorkflowError(problems);
  return {
    contact: contact.data,
    accessibility: accessibility.data,
    branding: branding.data,
    cohorts,
    programmes,
    defaultCohort,
    staff: withReviewers(parsedSettings.data.staff, cohorts.values()),
  };
}
