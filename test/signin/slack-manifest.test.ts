import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { type OidcFake, startOidcFake } from '../fakes/oidc.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

const PUBLIC = 'http://127.0.0.1:3998';

interface Manifest {
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[]; user?: string[] } };
}

/**
 * The Slack app is made from the manifest by hand, once; a sign-in the code asks for with another callback
 * or a scope the app was not given fails only then, at Slack. So the manifest is held to what the code asks.
 */
describe('the Slack app manifest', () => {
  let idp: OidcFake;
  let service: RunningService;
  let dir: string;
  const manifest = async () =>
    JSON.parse(
      await readFile(new URL('../../integrations/slack/manifest.json', import.meta.url), 'utf8'),
    ) as Manifest;

  beforeAll(async () => {
    idp = await startOidcFake({
      clientId: 'slack-client',
      clientSecret: 'slack-secret-0123456789abcdef',
      redirectUri: `${PUBLIC}/admin/signin/slack/callback`,
    });
    dir = await mkdtemp(join(tmpdir(), 'kehila-manifest-'));
    service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        PUBLIC_URL: PUBLIC,
        SLACK_CLIENT_ID: 'slack-client',
        SLACK_CLIENT_SECRET: 'slack-secret-0123456789abcdef',
        SLACK_OIDC_ISSUER: idp.issuer,
      }),
      logger: pino({ level: 'silent' }),
      settings: {},
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('mf'), allowInsecureSignIn: true },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await idp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the redirect URL and every user scope that Sign in with Slack asks for', async () => {
    const res = await service.app!.request(`${PUBLIC}/admin/signin/slack`);
    expect(res.status).toBe(302);
    const asked = new URL(res.headers.get('location') ?? '').searchParams;
    const { oauth_config } = await manifest();
    const redirects = (oauth_config.redirect_urls ?? []).map((u) => u.replace('https://YOUR_HOST', PUBLIC));
    expect(redirects).toContain(asked.get('redirect_uri'));
    const scopes = (asked.get('scope') ?? '').split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(oauth_config.scopes.user ?? []).toEqual(expect.arrayContaining(scopes));
  });
});
