import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OidcFake {
  issuer: string;
  /** The account the next login signs in as, with the claims the provider asserts for it. */
  nextAccount(sub: string, claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 with one client. Logins need no form: the interaction
 * route signs in the account set with nextAccount and grants the requested scopes at once.
 */
export async function startOidcFake(opts: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Extra claims, beyond email and profile, that the openid scope carries (Slack's user id). */
  extraClaims?: string[];
}): Promise<OidcFake> {
  const accounts = new Map<string, Record<string, unknown>>();
  let next = '';
  let provider: Provider | undefined;
  const server: Server = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    const p = provider;
    if (!req.url?.startsWith('/interaction/')) return p.callback()(req, res);
    void (async () => {
      const details = await p.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await p.interactionFinished(
          req,
          res,
          { login: { accountId: next } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new p.Grant({
        accountId: details.session?.accountId ?? next,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope(String(details.params.scope));
      await p.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: {
      openid: ['sub', ...(opts.extraClaims ?? [])],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Slack and Google put the person's claims in the ID token itself; so does this provider.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['oidc-fake-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  return {
    issuer,
    nextAccount(sub, claims) {
      accounts.set(sub, claims);
      next = sub;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
