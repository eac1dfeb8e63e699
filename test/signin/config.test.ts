import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';

describe('sign-in configuration', () => {
  it('defaults the issuers to Slack and Google, and needs each client id with its secret', () => {
    const config = parseConfig({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'slack-secret-0123456789',
    });
    expect(config.SLACK_OIDC_ISSUER).toBe('https://slack.com');
    expect(config.GOOGLE_OIDC_ISSUER).toBe('https://accounts.google.com');
    expect(() => parseConfig({ GOOGLE_SIGNIN_CLIENT_ID: 'x.apps.googleusercontent.com' })).toThrow(
      /GOOGLE_SIGNIN_CLIENT_ID: set together with GOOGLE_SIGNIN_CLIENT_SECRET/,
    );
    expect(() =>
      parseConfig({ SLACK_CLIENT_SECRET: 'slack-secret-0123456789', SLACK_OIDC_ISSUER: 'nope' }),
    ).toThrow(ConfigError);
  });
});
