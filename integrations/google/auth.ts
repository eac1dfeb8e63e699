import { JWT, OAuth2Client } from 'google-auth-library';

export type GoogleCredentials =
  | { type: 'service_account'; clientEmail: string; privateKey: string; subject?: string | undefined }
  | { type: 'oauth'; clientId: string; clientSecret: string; refreshToken: string };

const SCOPE = 'https://www.googleapis.com/auth/calendar.events';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** A Google auth client for the calendar.events scope, fetching its tokens from `tokenUrl` when given. */
export function authClient(credentials: GoogleCredentials, tokenUrl?: string): JWT | OAuth2Client {
  const client =
    credentials.type === 'service_account'
      ? new JWT({
          email: credentials.clientEmail,
          key: credentials.privateKey,
          scopes: [SCOPE],
          ...(credentials.subject ? { subject: credentials.subject } : {}),
        })
      : new OAuth2Client({
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          ...(tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}),
        });
  if (credentials.type === 'oauth') client.setCredentials({ refresh_token: credentials.refreshToken });
  if (tokenUrl) {
    // The JWT (service-account) client posts to a hard-coded token URL; its transporter's interceptor is
    // the one place that sees that request, so the override is applied there.
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  return client;
}
