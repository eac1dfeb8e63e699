import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { text } from './strings.ts';

export interface LayoutProps {
  title: string;
  children: Child;
  /** Set on the confirmation page: the script removes the saved draft of this cohort. */
  clearDraft?: string;
  lang?: 'he' | 'en';
}

/** The page shell: Hebrew, right-to-left, mobile first; script and style from /assets only. */
export function Layout({ title, children, clearDraft, lang = 'he' }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={lang} dir={lang === 'he' ? 'rtl' : 'ltr'}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>{`${title} | ${text.siteName}`}</title>
          <link rel="stylesheet" href="/assets/style.css" />
          <script src="/assets/form.js" defer />
        </head>
        <body data-clear-draft={clearDraft}>
          <a class="skip" href="#main">
            {text.skipToForm}
          </a>
          <header class="site">
            <span>{text.siteName}</span>
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export function MessagePage({ title, body, status }: { title: string; body: string; status?: number }) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {status ? <p class="hint">{`(${status})`}</p> : null}
    </Layout>
  );
}
