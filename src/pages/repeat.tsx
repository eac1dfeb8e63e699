import type { Cohort, ProgrammeContact } from '../../workflows/index.ts';
import { ProgrammeContactCard } from './contact.tsx';
import { DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { REPEAT_TEXTS } from './i18n/repeat.ts';
import { Layout } from './layout.tsx';

/**
 * The answer to a submission whose e-mail already applied: the application exists and its owner was sent a
 * link. Nothing here names the first application — whoever typed the address sees only what they sent.
 */
export function RepeatPage({
  cohort,
  lang = DEFAULT_LANG,
  contact,
}: {
  cohort: Cohort;
  lang?: Lang;
  contact: ProgrammeContact;
}) {
  const t = REPEAT_TEXTS[lang];
  return (
    <Layout title={t.title} clearDraft={cohort.id} lang={lang}>
      <h1>{t.title}</h1>
      <p>{t.lead}</p>
      <div class="card" role="status">
        <p>{t.linkSent}</p>
        <p>{t.answersKept}</p>
      </div>
      <p class="hint">{t.notArrived}</p>
      <ProgrammeContactCard lang={lang} contact={contact} />
    </Layout>
  );
}
