import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setSessionCookie } from '../../src/http/admin-session.ts';

const cookieFor = async (publicUrl: string) => {
  const app = new Hono();
  app.get('/', (c) => {
    setSessionCookie(c, publicUrl, 'id', new Date('2027-01-01T12:00:00Z'));
    return c.body(null, 204);
  });
  // The request arrives over plain http, as it does behind a TLS-terminating proxy: PUBLIC_URL decides.
  return (await app.request('http://internal:3000/')).headers.get('set-cookie') ?? '';
};

describe('the session cookie', () => {
  it('is Secure whenever PUBLIC_URL is https, whatever the request came in by', async () => {
    const secure = await cookieFor('https://kehila.example.org');
    expect(secure).toMatch(/; Secure/);
    expect(secure).toMatch(/HttpOnly/);
    expect(secure).toMatch(/SameSite=Lax/);
    expect(await cookieFor('http://localhost:3000')).not.toMatch(/Secure/);
  });
});
