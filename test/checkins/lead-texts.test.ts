import { describe, expect, it } from 'vitest';
import {
  type Counted,
  counted,
  leadCatalogues,
  longDay,
  momentLabel,
  weekSpan,
} from '../../src/pages/i18n/leads/index.ts';
import type { LeadLang } from '../../workflows/index.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const LANGS: LeadLang[] = ['he', 'ar', 'en'];
const isCounted = (v: unknown): v is Counted => typeof v === 'object' && v !== null && 'other' in v;

/** Every text of a catalogue as [key, value], functions called with recognisable arguments. */
function texts(lang: LeadLang): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') out.push([prefix, value]);
    else if (typeof value === 'function') {
      const args = Array.from({ length: value.length }, (_, i) => `ARG${i}`);
      const text = (value as (...a: string[]) => string)(...args);
      for (const a of args) expect(text, `${lang}.${prefix} uses ${a}`).toContain(a);
      out.push([prefix, text]);
    } else if (isCounted(value)) {
      for (const [k, v] of Object.entries(value)) out.push([`${prefix}.${k}`, v as string]);
    } else for (const [k, v] of Object.entries(value as object)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  walk('', leadCatalogues[lang]);
  return out;
}

describe("the leads' catalogue", () => {
  it('has a non-empty text for every key in every language, and the same keys in each', () => {
    const keys = (lang: LeadLang) => texts(lang).map(([k]) => k.replace(/\.(zero|one|two|few|many)$/, ''));
    for (const lang of LANGS) {
      for (const [key, value] of texts(lang)) expect(value.trim(), `${lang}.${key}`).not.toBe('');
      expect(new Set(keys(lang))).toEqual(new Set(keys('he')));
    }
  });

  it('gives every counted phrase a form for each plural category the language has: six in Arabic', () => {
    const categories = (lang: LeadLang) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    expect([...categories('ar')].sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    for (const lang of LANGS) {
      const phrases = Object.entries(leadCatalogues[lang]).filter(([, v]) => isCounted(v));
      expect(phrases.map(([k]) => k).sort()).toEqual(['answersSoFar', 'daysLeft']);
      for (const [key, forms] of phrases)
        for (const c of categories(lang))
          expect((forms as Counted)[c]?.trim(), `${lang}.${key}.${c}`).toBeTruthy();
    }
    const days = leadCatalogues.ar.daysLeft;
    expect([1, 2, 3, 11, 100].map((n) => counted('ar', n, days))).toEqual([
      'يوم واحد',
      'يومان',
      '3 أيام',
      '11 يوما',
      '100 يوم',
    ]);
    expect([1, 2, 7].map((n) => counted('he', n, leadCatalogues.he.daysLeft))).toEqual([
      'יום אחד',
      'יומיים',
      '7 ימים',
    ]);
    expect(counted('en', 1, leadCatalogues.en.answersSoFar)).toBe('1 check-in so far');
    expect(counted('en', 1200, leadCatalogues.en.answersSoFar)).toBe('1,200 check-ins so far');
  });

  it('fits Slack: modal titles and buttons within their lengths, and no slashes in the Hebrew', () => {
    for (const lang of LANGS) {
      const t = leadCatalogues[lang];
      for (const s of [t.modalTitle, t.modalSubmit, t.modalClose, t.answeredTitle, t.doneButton])
        expect(s.length, s).toBeLessThanOrEqual(24);
      for (const s of [t.pauseTitle, t.pauseSubmit, t.pauseClose])
        expect(s.length, s).toBeLessThanOrEqual(24);
      for (const s of [t.answerButton, t.pauseButton, t.resumeButton])
        expect(s.length).toBeLessThanOrEqual(75);
    }
    for (const [key, value] of texts('he')) expect(value, key).not.toMatch(/\//);
  });

  it('reads cleanly: each script in its own language, no Latin or digits outside an isolate, prefixes joined', () => {
    for (const lang of ['he', 'ar'] as const)
      for (const [key, raw] of texts(lang)) {
        const s = raw.replace(/ARG\d/g, '').replace(/\u2068[^\u2069]*\u2069/g, '');
        const where = `${lang}.${key}`;
        expect(s, where).not.toMatch(/[A-Za-z0-9]/);
        expect(s, where).not.toMatch(/[\u0590-\u05FF]\/|[\u0600-\u06FF]\//);
        if (lang === 'ar') expect(s, where).not.toMatch(/[\u0590-\u05FF\u06A0-\u06FF]|(^|\s)لال/);
        else expect(s, where).not.toMatch(/[\u0600-\u06FF]|(^|\s)(לה|בה|מה|כה)(צוות|כיוון|עדכון|סבב)/);
      }
    for (const [key, s] of texts('en')) expect(s, key).not.toMatch(/[\u0590-\u05FF\u0600-\u06FF]/);
  });

  it('writes dates and times per language in Israel time, isolated inside right-to-left text', () => {
    // 23:30 UTC on Monday 14 June is already Tuesday in Israel.
    const late = new Date('2027-06-14T21:30:00Z');
    expect(momentLabel('en', late)).toContain('Tuesday 15 June');
    expect(momentLabel('he', late)).toMatch(/^\u2068יום שלישי, 15 ביוני .*00:30\u2069$/);
    expect(momentLabel('ar', late)).toMatch(/^\u2068الثلاثاء، 15 يونيو .*00:30\u2069$/);
    expect(longDay('ar', '2027-06-20')).toBe('\u206820 يونيو 2027\u2069');
    expect(longDay('en', '2027-06-20')).toBe('20 June 2027');
    expect(weekSpan('he', '2027-06-13')).toBe('\u206813–17 ביוני 2027\u2069');
    expect(weekSpan('en', '2027-06-27')).toMatch(/^27 June\s?–\s?1 July 2027$/);
  });
});

describe("a lead's language in the settings", () => {
  const withLeads = (leads: unknown[], other: unknown[] = []) =>
    loadWorkflows({
      programmes: {
        'negev-partnership': {
          actionLines: [
            { id: 'math', name: 'מצוינות במתמטיקה', leads },
            { id: 'girls', name: 'בנות במדע', leads: other },
          ],
        },
      },
    }).programmes.get('negev-partnership')!;

  it('reads a bare Slack id as a Hebrew lead, and takes a lang beside the id', () => {
    const p = withLeads(['ULEAD1', { id: 'ULEAD2', lang: 'ar' }, { id: 'ULEAD3' }]);
    expect(p.actionLines[0]?.leads).toEqual([
      { id: 'ULEAD1', lang: 'he' },
      { id: 'ULEAD2', lang: 'ar' },
      { id: 'ULEAD3', lang: 'he' },
    ]);
  });

  it('refuses a language it does not have, and one lead given two languages', () => {
    expect(() => withLeads([{ id: 'ULEAD1', lang: 'fr' }])).toThrow();
    expect(() => withLeads([{ id: 'ULEAD1', lang: 'en' }], ['ULEAD1'])).toThrow(/same lang/);
    expect(() => withLeads([{ id: 'ULEAD1', lang: 'en' }], [{ id: 'ULEAD1', lang: 'en' }])).not.toThrow();
  });
});
