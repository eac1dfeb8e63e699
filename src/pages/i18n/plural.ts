export type Lang = 'he' | 'ar' | 'en';

/** Each plural category a language may use; Arabic uses all six, Hebrew four, English two. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Lang, Intl.PluralRules>();

/** The form of a counted phrase that `n` takes in the language, by CLDR's rules. */
export function plural(lang: Lang, n: number, forms: PluralForms): string {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  return forms[r.select(n)] ?? forms.other;
}
