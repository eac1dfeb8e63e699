import type { ProgrammeContact } from '../../workflows/index.ts';
import { catalogues, type Lang } from './i18n/index.ts';

/** A phone as a tel: link: digits and a leading plus only. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

/** An address and a phone, each left-to-right and isolated, as links a phone can follow. */
export function ContactLines({
  lang,
  email,
  phone,
}: {
  lang: Lang;
  email: string;
  phone?: string | undefined;
}) {
  const t = catalogues[lang];
  return (
    <ul class="contact">
      <li>
        {`${t.contactEmail} `}
        <a href={`mailto:${email}`} dir="ltr">
          {email}
        </a>
      </li>
      {phone ? (
        <li>
          {`${t.contactPhone} `}
          <a href={telHref(phone)} dir="ltr">
            {phone}
          </a>
        </li>
      ) : null}
    </ul>
  );
}

/** The programme's contact from the settings, on the confirmation and privacy pages. */
export function ProgrammeContactCard({ lang, contact }: { lang: Lang; contact: ProgrammeContact }) {
  const t = catalogues[lang];
  return (
    <section class="card" aria-labelledby="contact-title">
      <h2 id="contact-title">{t.contactTitle}</h2>
      <p>{t.contactLead}</p>
      <ContactLines lang={lang} email={contact.email} phone={contact.phone} />
    </section>
  );
}

// A sentence with left-to-right pieces (a standard's name, a date) is written with its pieces as arguments;
// it is rendered with each piece in its own isolate, so it keeps its order inside right-to-left text.
const MARK = '\u0000';

/** A catalogue sentence with each argument isolated: left-to-right, or by its own first letter (`auto`). */
export function Isolated({
  text,
  args,
  dir = 'ltr',
}: {
  text: (...args: string[]) => string;
  args: string[];
  dir?: 'ltr' | 'auto';
}) {
  const parts = text(...args.map((_, i) => `${MARK}${i}${MARK}`)).split(MARK);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 0 ? (
          part
        ) : dir === 'ltr' ? (
          <span dir="ltr">{args[Number(part)]}</span>
        ) : (
          <bdi>{args[Number(part)]}</bdi>
        ),
      )}
    </>
  );
}
