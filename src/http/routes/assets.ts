import { type Context, Hono } from 'hono';
import { faviconSvg, formJs, styleCss } from '../../pages/assets.ts';

/** The form's stylesheet, script and icon; short caching, since they are served from code, not hashed files. */
export function assetRoutes(): Hono {
  const app = new Hono();
  const cache = 'public, max-age=3600';
  app.get('/assets/style.css', (c) =>
    c.body(styleCss, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': cache }),
  );
  app.get('/assets/form.js', (c) =>
    c.body(formJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': cache }),
  );
  // Browsers ask for /favicon.ico whatever the page links to; the same SVG answers both, since every
  // browser that shows a tab icon today draws an SVG one.
  const icon = (c: Context) =>
    c.body(faviconSvg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' });
  app.get('/assets/favicon.svg', icon);
  app.get('/favicon.ico', icon);
  return app;
}
