import type { Branding, ProgrammeContact } from '../../workflows/index.ts';
import { ProgrammeContactCard } from './contact.tsx';
import { catalogues, DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { Layout } from './layout.tsx';

/** The privacy notice the form links to; the programme's legal text replaces it per installation. */
export function PrivacyPage({
  lang = DEFAULT_LANG,
  contact,
  branding,
}: {
  lang?: Lang;
  contact: ProgrammeContact;
  branding?: Branding | undefined;
}) {
  const t = catalogues[lang];
  return (
    <Layout title={t.privacyTitle} lang={lang} branding={branding}>
      <h1>{t.privacyTitle}</h1>
      <p>{t.privacyLead}</p>
      <ul>
        <li>{t.privacyItem1}</li>
        <li>{t.privacyItem2}</li>
        <li>{t.privacyItem3}</li>
        <li>{t.privacyItem4}</li>
      </ul>
      <ProgrammeContactCard lang={lang} contact={contact} />
      <p>
        <a href={`/apply?lang=${lang}`}>{t.privacyBack}</a>
      </p>
    </Layout>
  );
}
