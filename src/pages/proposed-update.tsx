import { longDateFormat } from '../domain/meetings.ts';
import type { ProposedUpdate } from '../usecases/proposed-updates.ts';
import { catalogues, type Lang } from './i18n/index.ts';

const TEXTS: Record<Lang, { title: (date: string) => string; lead: string; apply: string; discard: string }> =
  {
    he: {
      title: (date) => `תשובות חדשות ששלחת ב-${date}`,
      lead: 'הטופס נשלח שוב עם הכתובת שלך. אלה התשובות שנשלחו; הבקשה נשארת כפי שהייתה עד שיוחלט מה לעשות בהן.',
      apply: 'להחיל את התשובות החדשות',
      discard: 'לוותר עליהן',
    },
    ar: {
      title: (date) => `إجابات جديدة أرسلتها في ${date}`,
      lead: 'أُرسل النموذج مرة أخرى بعنوانك. هذه هي الإجابات المرسلة، ويبقى طلبك كما هو إلى حين اتخاذ قرار بشأنها.',
      apply: 'اعتماد الإجابات الجديدة',
      discard: 'التخلي عنها',
    },
    en: {
      title: (date) => `New answers you sent on ${date}`,
      lead: 'The form was sent again with your address. These are the answers it carried; your application stays as it was until you choose.',
      apply: 'Apply the new answers',
      discard: 'Discard them',
    },
  };

/**
 * The section of the applicant's own page that shows their latest repeat's answers, with "apply" and
 * "discard": each posts `action` (`apply` | `discard`) with the page's form token to `actionUrl`, whose
 * handler calls `applyProposedUpdate`. Answers are text nodes, escaped by JSX.
 */
export function ProposedUpdateSection({
  proposal,
  lang,
  actionUrl,
  formToken,
}: {
  proposal: ProposedUpdate;
  lang: Lang;
  actionUrl: string;
  formToken: string;
}) {
  const t = TEXTS[lang];
  const f = catalogues[lang];
  const a = proposal.answers;
  const rows: [string, string][] = [
    [f['field.fullName'], a.fullName],
    [f['field.phone'], a.phone],
    [f['field.organisation'], a.organisation],
    [f['field.roleTitle'], a.roleTitle],
    [f['field.motivation'], a.motivation],
    [f['field.accessibilityNeeds'], a.accessibilityNeeds],
  ];
  return (
    <section class="card" aria-labelledby="proposed-update-title">
      <h2 id="proposed-update-title">{t.title(longDateFormat(lang).format(proposal.receivedAt))}</h2>
      <p>{t.lead}</p>
      <dl>
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{label === f['field.phone'] ? <bdi dir="ltr">{value}</bdi> : value}</dd>
            </>
          ))}
      </dl>
      <form method="post" action={actionUrl}>
        <input type="hidden" name="formToken" value={formToken} />
        <button type="submit" name="action" value="apply">
          {t.apply}
        </button>{' '}
        <button type="submit" name="action" value="discard" class="secondary">
          {t.discard}
        </button>
      </form>
    </section>
  );
}
