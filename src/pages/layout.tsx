import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Branding } from '../../workflows/index.ts';
import { catalogues, DEFAULT_LANG, dirOf, LANG_NAMES, LANGS, type Lang } from './i18n/index.ts';

export interface LayoutProps {
  title: string;
  children: Child;
  /** Set on the confirmation page: the script removes the saved draft of this cohort. */
  clearDraft?: string;
  lang?: Lang;
  /**
   * Where each language's link leads; by default the same page with `?lang=`. The confirmation page
   * keeps its reference in the link.
   */
  langHref?: (lang: Lang) => string;
  /** Pages outside the applicant's journey (server error pages) carry no language switch. */
  languageSwitch?: boolean;
  /** The programme's name and logo from the settings; without them, the network's name. */
  branding?: Branding | undefined;
}

/** The page shell: the language's direction, mobile first; script and style from /assets only. */
export function Layout({
  title,
  children,
  clearDraft,
  lang = DEFAULT_LANG,
  langHref = (l) => `?lang=${l}`,
  languageSwitch = true,
  branding = {},
}: LayoutProps) {
  const t = catalogues[lang];
  const siteName = branding.name?.[lang] ?? t.siteName;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={lang} dir={dirOf(lang)}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>{`${title} | ${siteName}`}</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/style.css" />
          <script src="/assets/form.js" defer />
        </head>
        <body data-clear-draft={clearDraft}>
          <a class="skip" href="#main">
            {t.skipToMain}
          </a>
          <header class="site">
            <span class="brand">
              {branding.logo ? <img src={branding.logo.src} alt={branding.logo.alt[lang]} /> : null}
              <span>{siteName}</span>
            </span>
            {languageSwitch ? (
              <nav class="languages" aria-label={t.languageSwitch}>
                <ul>
                  {LANGS.map((l) => (
                    <li>
                      <a
                        href={langHref(l)}
                        hreflang={l}
                        lang={l}
                        dir={dirOf(l)}
                        aria-current={l === lang ? 'true' : undefined}
                      >
                        {LANG_NAMES[l]}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
          <footer class="site">
            <nav aria-label={t.footerLinks}>
              <ul>
                <li>
                  <a href={`/accessibility?lang=${lang}`}>{t.a11yTitle}</a>
                </li>
                <li>
                  <a href={`/privacy?lang=${lang}`}>{t.privacyTitle}</a>
                </li>
              </ul>
            </nav>
          </footer>
        </body>
      </html>
    </>
  );
}

/** A page with one message: server errors and refusals, in Hebrew unless a language is given. */
export function MessagePage({
  title,
  body,
  status,
  lang,
  requestId,
  branding,
}: {
  title: string;
  body: string;
  status?: number;
  lang?: Lang;
  /** Shown isolated, so a left-to-right id keeps its order inside right-to-left text. */
  requestId?: string;
  branding?: Branding | undefined;
}) {
  return (
    <Layout title={title} lang={lang} languageSwitch={false} branding={branding}>
      <h1>{title}</h1>
      {body ? <p>{body}</p> : null}
      {requestId ? (
        <p class="hint">
          {`${catalogues[lang ?? DEFAULT_LANG].requestIdLabel} `}
          <span dir="ltr">{requestId}</span>
        </p>
      ) : null}
      {status ? <p class="hint">{`(${status})`}</p> : null}
    </Layout>
  );
}
