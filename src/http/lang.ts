import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLang, LANG_COOKIE, LANG_COOKIE_MAX_AGE, type Lang, negotiateLang } from '../pages/i18n/index.ts';

/** The language a page is shown in, without remembering anything: `?lang=`, the cookie, Accept-Language. */
export function pageLang(c: Context): Lang {
  return negotiateLang(c.req.query('lang'), getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
}

/**
 * The applicant's language for this request: the form's own field on a post, then `?lang=`, the cookie and
 * Accept-Language. An explicit choice is remembered for a year, so every later page follows it.
 */
export function requestLang(c: Context, posted?: string): Lang {
  const explicit = isLang(posted) ? posted : c.req.query('lang');
  const lang = negotiateLang(explicit, getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
  if (isLang(explicit) && getCookie(c, LANG_COOKIE) !== explicit) {
    setCookie(c, LANG_COOKIE, explicit, {
      path: '/',
      maxAge: LANG_COOKIE_MAX_AGE,
      sameSite: 'Lax',
      httpOnly: true,
      secure: new URL(c.req.url).protocol === 'https:',
    });
  }
  c.header('Vary', 'Accept-Language, Cookie', { append: true });
  c.header('Content-Language', lang);
  return lang;
}
