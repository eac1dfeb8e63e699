import type { ActionLine, LeadLang, Programme, Workflows } from '../../workflows/index.ts';
import { leadCatalogues } from '../pages/i18n/leads/index.ts';

/** Whether the person leads the action line. */
export const leadsLine = (line: ActionLine, user: string): boolean => line.leads.some((l) => l.id === user);

/** Whether the person leads any action line of any programme. */
export const isLead = (workflows: Pick<Workflows, 'programmes'>, user: string): boolean =>
  [...workflows.programmes.values()].some((p) => p.actionLines.some((l) => leadsLine(l, user)));

/**
 * The language a person reads their check-ins in: the first programme that names them as a lead decides
 * (within one programme the settings give a lead one language); Hebrew for anyone else.
 */
export function langOf(workflows: Pick<Workflows, 'programmes'>, user: string): LeadLang {
  for (const p of workflows.programmes.values())
    for (const l of p.actionLines) {
      const lead = l.leads.find((x) => x.id === user);
      if (lead) return lead.lang;
    }
  return 'he';
}

/** The action line's name in the language, or its Hebrew name when the settings give none. */
export const lineName = (line: ActionLine, lang: LeadLang): string =>
  (lang === 'he' ? undefined : line.names[lang]) ?? line.name;

/** The programme's name in the language, or its Hebrew name. */
export const programmeName = (programme: Programme, lang: LeadLang): string =>
  programme.name[lang] ?? programme.name.he;

/** The texts a lead reads, in their language. */
export const textsFor = (lang: LeadLang) => leadCatalogues[lang];
