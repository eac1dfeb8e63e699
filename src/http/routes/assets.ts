import { Hono } from 'hono';
import { formJs, styleCss } from '../../pages/assets.ts';

/** The form's stylesheet and script; short caching, since they are served from code, not hashed files. */
export function assetRoutes(): Hono {
  const app = new Hono();
  const cache = 'public, max-age=3600';
  app.get('/assets/style.css', (c) =>
    c.body(styleCss, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': cache }),
  );
  app.get('/assets/form.js', (c) =>
    c.body(formJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': cache }),
  );
  return app;
}
