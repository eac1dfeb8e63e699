import type { AccessibilitySettings, Branding } from '../../workflows/index.ts';
import { longDateFormat } from '../domain/meetings.ts';
import { ContactLines, Isolated } from './contact.tsx';
import { catalogues, DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { Layout } from './layout.tsx';

/** The standard and its basis, as IS 5568 names them. */
const STANDARD = 'IS 5568';
const GUIDELINES = 'WCAG 2.1 AA';

/**
 * The accessibility statement the equal-rights regulations ask of a public service: what is accessible, the
 * standard, known limits, how to ask for an arrangement, who to contact, when it was last reviewed.
 */
export function AccessibilityPage({
  lang = DEFAULT_LANG,
  settings,
  branding,
}: {
  lang?: Lang;
  settings: AccessibilitySettings;
  branding?: Branding | undefined;
}) {
  const t = catalogues[lang];
  const { coordinator } = settings;
  const reviewed = longDateFormat(lang).format(new Date(`${settings.lastReviewed}T12:00:00Z`));
  return (
    <Layout title={t.a11yTitle} lang={lang} branding={branding}>
      <h1>{t.a11yTitle}</h1>
      <p>{t.a11yLead}</p>
      <h2>{t.a11yStandardTitle}</h2>
      <p>
        <Isolated text={t.a11yStandard} args={[STANDARD, GUIDELINES]} />
      </p>
      <h2>{t.a11yWhatTitle}</h2>
      <ul>
        <li>{t.a11yWhat1}</li>
        <li>{t.a11yWhat2}</li>
        <li>{t.a11yWhat3}</li>
        <li>{t.a11yWhat4}</li>
        <li>{t.a11yWhat5}</li>
        <li>{t.a11yWhat6}</li>
      </ul>
      <h2>{t.a11yLimitsTitle}</h2>
      <ul>
        <li>{t.a11yLimit1}</li>
        <li>{t.a11yLimit2}</li>
        <li>{t.a11yLimit3}</li>
      </ul>
      <h2>{t.a11yArrangeTitle}</h2>
      <p>{t.a11yArrange}</p>
      <section class="card" aria-labelledby="a11y-contact">
        <h2 id="a11y-contact">{t.a11yContactTitle}</h2>
        <p>{t.a11yContactLead}</p>
        <p>
          <strong>{coordinator.name[lang]}</strong>
        </p>
        <ContactLines lang={lang} email={coordinator.email} phone={coordinator.phone} />
      </section>
      <p class="hint">
        <Isolated text={t.a11yReviewed} args={[reviewed]} dir="auto" />
      </p>
    </Layout>
  );
}
