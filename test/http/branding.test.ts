import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/index.ts';
import { buildTestApp, confirmationPath, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const branding = {
  name: {
    he: 'שותפות הנגב למצוינות STEM',
    ar: 'شراكة النقب للتميز في STEM',
    en: 'The Negev STEM partnership',
  },
  logo: {
    src: 'https://cdn.example.org/negev-logo.svg',
    alt: { he: 'הסמל של שותפות הנגב', ar: 'شعار شراكة النقب', en: 'The Negev partnership logo' },
  },
};

describe("the programme's name and logo", () => {
  it('head every applicant page from the settings, the logo described in the page language', async () => {
    t = await buildTestApp({ settings: { branding } });
    const app = t.app;
    const paths = {
      he: '/apply',
      ar: await confirmationPath('LT27-ACDEF', '&lang=ar'),
      en: '/accessibility?lang=en',
    } as const;
    for (const [lang, path] of Object.entries(paths) as [keyof typeof paths, string][]) {
      const res = await app.request(path);
      const html = await res.text();
      expect(html, path).toContain(
        `<span class="brand"><img src="https://cdn.example.org/negev-logo.svg" alt="${branding.logo.alt[lang]}"/><span>${branding.name[lang]}</span></span>`,
      );
      expect(html, path).toContain(`| ${branding.name[lang]}</title>`);
      // The logo's address is the one other origin the pages may load an image from.
      expect(res.headers.get('content-security-policy'), path).toContain(
        "img-src 'self' data: https://cdn.example.org",
      );
    }
    for (const path of ['/privacy?lang=ar', '/nowhere?lang=en']) {
      expect(await (await app.request(path)).text(), path).toContain('<img src="https://cdn.example.org/');
    }
  });

  it('default to the network’s name without a logo, as shipped', async () => {
    t = await buildTestApp();
    const res = await t.app.request('/apply?lang=ar');
    const html = await res.text();
    expect(html).toContain('<span class="brand"><span>كهيلا — شبكة muni:STEM</span></span>');
    expect(html).not.toContain('<img');
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
  });

  it('take a logo from a path on this site, and refuse other addresses naming the setting', async () => {
    const local = loadWorkflows({ branding: { logo: { src: '/static/logo.png', alt: branding.logo.alt } } });
    expect(local.branding.logo?.src).toBe('/static/logo.png');
    for (const src of [
      'http://cdn.example.org/logo.svg',
      '//cdn.example.org/logo.svg',
      'javascript:alert(1)',
    ]) {
      expect(() => loadWorkflows({ branding: { logo: { src, alt: branding.logo.alt } } }), src).toThrow(
        /branding\.logo\.src/,
      );
    }
    expect(() => loadWorkflows({ branding: { name: { he: 'רק עברית' } } })).toThrow(/branding\.name\.ar/);
  });
});
