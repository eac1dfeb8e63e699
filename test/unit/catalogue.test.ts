import { describe, expect, it } from 'vitest';
import { MEETING_CHANGE_TEXTS } from '../../src/mail/meeting-change-texts.ts';
import { NOTICE_TEXTS, type NoticeKind } from '../../src/mail/notice-texts.ts';
import { catalogues, LANGS } from '../../src/pages/i18n/index.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { leadingTeam2027 } from '../../workflows/leading-team-2027.ts';

// Placeholders the lint is called with stand in for any argument; they are removed before checking.
const PLACEHOLDER = '{x}';
// Names written in Latin script everywhere, and the cohort's year, a lone number that no direction reorders.
const ALLOWED_LATIN = ['muni:STEM', 'STEM', 'Slack', 'Zoom', '.ics', '2027'];

function texts(lang: (typeof LANGS)[number]): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(catalogues[lang])) {
    const s =
      typeof value === 'function' ? (value as (...a: unknown[]) => string)(PLACEHOLDER, PLACEHOLDER) : value;
    out.push([key, s]);
  }
  return out;
}

function workflowTexts(lang: 'he' | 'ar' | 'en'): [string, string][] {
  const c = leadingTeam2027;
  const all = [
    ['name', c.name],
    ['description', c.description],
    ...c.meetings.map((m) => [`meeting.${m.id}`, m.title] as const),
    ...[...c.form.sectors, ...c.form.regions, ...c.form.topics].map((x) => [`choice.${x.id}`, x] as const),
  ] as const;
  return all.map(([k, v]) => [k, (v as Record<string, string>)[lang] ?? '']);
}

const KINDS: NoticeKind[] = ['received', 'accepted', 'declined', 'waitlisted', 'withdrawn'];

// The dates of meetings come from Intl, not from the texts, so the notices are linted without meetings.
function noticeTexts(lang: 'he' | 'ar' | 'en'): [string, string][] {
  const shipped = loadWorkflows().cohorts.get('leading-team-2027');
  if (!shipped) throw new Error('the shipped cohort is missing');
  const t = NOTICE_TEXTS[lang];
  const out: [string, string][] = [
    ['greeting', t.greeting(PLACEHOLDER)],
    ['signature', t.signature],
    ['contact.email', t.contact.email],
    ['contact.phone', t.contact.phone],
  ];
  const m = MEETING_CHANGE_TEXTS[lang];
  for (const [key, value] of Object.entries(m)) {
    if (typeof value === 'string') out.push([`meetings.${key}`, value]);
    else if (typeof value === 'function')
      // The lead takes the cohort's name; the others whether one meeting or several changed.
      for (const arg of (key === 'lead' ? [PLACEHOLDER] : [true, false]) as never[])
        out.push([`meetings.${key}`, (value as (a: never) => string)(arg)]);
    else for (const [k, v] of Object.entries(value)) out.push([`meetings.${key}.${k}`, v as string]);
  }
  for (const kind of KINDS) {
    out.push([`subject.${kind}`, t.subjects[kind]]);
    for (const calendarInvites of [true, false]) {
      const input = {
        kind,
        cohort: { ...shipped, meetings: [] },
        fullName: PLACEHOLDER,
        reference: PLACEHOLDER,
        publicUrl: PLACEHOLDER,
        calendarInvites,
      };
      t.paragraphs[kind](input).forEach((line, i) => {
        out.push([`${kind}.${i}`, line]);
      });
    }
  }
  return out;
}

/** What is left once direction-isolated spans, placeholders and known names are taken out. */
function bare(s: string): string {
  let out = s
    .replace(/<(bdi|span dir="ltr")[^>]*>.*?<\/(bdi|span)>/g, '')
    .replace(/\u2068[^\u2069]*\u2069/g, '')
    .replaceAll(PLACEHOLDER, '');
  for (const name of ALLOWED_LATIN) out = out.replaceAll(name, '');
  return out;
}

const problems = (lang: 'he' | 'ar' | 'en', list: [string, string][]) => {
  const found: string[] = [];
  for (const [key, s] of list) {
    if (s.trim() === '') found.push(`${key}: empty`);
    if (lang === 'en') continue;
    if (/[\u0590-\u05FF]\/(ה|ת|ית|ים|ות)/.test(s) || /[\u0600-\u06FF]\/ة/.test(s))
      found.push(`${key}: slash form`);
    if (lang === 'ar' && /[\u0590-\u05FF\u06A0-\u06FF]/.test(s))
      found.push(`${key}: Hebrew or Persian letters`);
    if (lang === 'he' && /[\u0600-\u06FF]/.test(s)) found.push(`${key}: Arabic letters`);
    if (/[A-Za-z0-9]/.test(bare(s))) found.push(`${key}: Latin or digits outside an isolated span`);
    if (lang === 'he' && /(^|[\s(«"])(לה|בה|מה|כה)(צוות|רשת|מחזור|מפגש|טופס|בקשה|תוכנית|ארגון)/.test(s))
      found.push(`${key}: prefix glued onto a definite noun`);
    if (lang === 'ar' && /(^|\s)لال/.test(s)) found.push(`${key}: ل + ال written apart from لل`);
  }
  return found;
};

describe('the message catalogue', () => {
  it('has every key in every language, none empty', () => {
    const keys = Object.keys(catalogues.he).sort();
    for (const lang of LANGS) {
      expect(Object.keys(catalogues[lang]).sort()).toEqual(keys);
    }
  });

  for (const lang of LANGS) {
    it(`reads cleanly in ${lang}: no slash gender forms, Latin isolated, prefixes joined`, () => {
      expect(problems(lang, texts(lang))).toEqual([]);
      expect(problems(lang, workflowTexts(lang))).toEqual([]);
      expect(problems(lang, noticeTexts(lang))).toEqual([]);
    });
  }

  it('catches what it is there to catch', () => {
    expect(problems('he', [['a', 'מי שיתקבל/תתקבל']])).toHaveLength(1);
    expect(problems('he', [['a', 'מצטרפים להצוות']])).toHaveLength(1);
    expect(problems('he', [['a', 'לדוגמה: 050-7234567']])).toHaveLength(1);
    expect(problems('he', [['a', 'לדוגמה: <span dir="ltr">050-7234567</span>']])).toEqual([]);
    expect(problems('ar', [['a', 'مدير/ة القسم']])).toHaveLength(1);
    expect(problems('ar', [['a', 'انضم لالفريق']])).toHaveLength(1);
    expect(problems('ar', [['a', 'شبكة muni:STEM']])).toEqual([]);
    expect(problems('ar', [['a', 'الفريק القيادي']])).toHaveLength(1);
  });

  it('plurals follow each language, Arabic with its six forms', async () => {
    const { plural } = await import('../../src/pages/i18n/index.ts');
    const forms = { zero: 'z', one: 'o', two: 't', few: 'f', many: 'm', other: 'x' };
    expect([0, 1, 2, 3, 11, 100].map((n) => plural('ar', n, forms))).toEqual(['z', 'o', 't', 'f', 'm', 'x']);
    expect([1, 2, 5].map((n) => plural('he', n, forms))).toEqual(['o', 't', 'x']);
    expect([1, 5].map((n) => plural('en', n, forms))).toEqual(['o', 'x']);
  });
});
