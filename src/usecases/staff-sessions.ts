import type { Kysely } from 'kysely';
import type { StaffMember, StaffRole } from '../../workflows/index.ts';
import { sha256Hex } from '../domain/digest.ts';
import type { Database } from '../storage/schema.ts';

export const SESSION_MS = 12 * 3_600_000;
export const SIGN_IN_LINK_MS = 15 * 60_000;
/** The person a console link signs in while the settings name no coordinator: a fresh installation. */
export const CONSOLE_IDENTITY = 'console';

export interface StaffContext {
  db: Kysely<Database>;
  clock: () => Date;
  /** The staff list as the settings say now; asked on every request, so a removal takes effect at once. */
  staff: () => readonly StaffMember[];
}

/** Who is signed in: as the settings list them now, and the name their actions are recorded under. */
export interface SignedIn {
  identity: string;
  name: string;
  roles: readonly StaffRole[];
  /** The audit log's actor: the person's e-mail or Slack id, never a shared name. */
  actor: string;
}

const randomToken = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};
// 32 random bytes in base64url; anything else is refused before it reaches SQL.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** How a listed person is named in sessions: by Slack id when they have one, else by e-mail. */
export function identityOf(member: StaffMember): string {
  return member.slackId ? `slack:${member.slackId}` : `email:${(member.email ?? '').toLowerCase()}`;
}

/** The person an identity names in this staff list, or null when the list no longer has them. */
export function personFor(staff: readonly StaffMember[], identity: string): SignedIn | null {
  if (identity === CONSOLE_IDENTITY) {
    // The bootstrap identity lasts only until the settings name a coordinator of their own.
    if (staff.some((s) => s.roles.includes('coordinator'))) return null;
    return { identity, name: 'צוות התוכנית', roles: ['coordinator'], actor: CONSOLE_IDENTITY };
  }
  const [kind, ...rest] = identity.split(':');
  const value = rest.join(':');
  const member = staff.find((s) =>
    kind === 'slack' ? s.slackId === value : kind === 'email' && s.email?.toLowerCase() === value,
  );
  if (!member) return null;
  return {
    identity,
    name: member.name,
    roles: member.roles,
    actor: member.email ?? member.slackId ?? identity,
  };
}

/** The first coordinator in the settings, or the bootstrap identity when there is none yet. */
export function firstCoordinator(staff: readonly StaffMember[]): string {
  const coordinator = staff.find((s) => s.roles.includes('coordinator'));
  return coordinator ? identityOf(coordinator) : CONSOLE_IDENTITY;
}

/** Opens a session for a person; returns the cookie value, of which only the hash is stored. */
export async function openSession(
  ctx: StaffContext,
  identity: string,
): Promise<{ id: string; expires: Date }> {
  const now = ctx.clock();
  const id = randomToken();
  const expires = new Date(now.getTime() + SESSION_MS);
  // Expired rows are of no use to anyone; clearing them here keeps the table to the sessions still open.
  await ctx.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await ctx.db
    .insertInto('sessions')
    .values({ id_hash: await sha256Hex(id), identity, created_at: now, expires_at: expires })
    .execute();
  return { id, expires };
}

/** The person behind a session cookie, or null when it is unknown, expired, or they are no longer staff. */
export async function resolveSession(ctx: StaffContext, id: string | undefined): Promise<SignedIn | null> {
  if (!id || !TOKEN_SHAPE.test(id)) return null;
  const row = await ctx.db
    .selectFrom('sessions')
    .select('identity')
    .where('id_hash', '=', await sha256Hex(id))
    .where('expires_at', '>', ctx.clock())
    .executeTakeFirst();
  return row ? personFor(ctx.staff(), row.identity) : null;
}

/** Ends a session: its row is deleted, so the cookie opens nothing even if it was copied. */
export async function closeSession(ctx: StaffContext, id: string | undefined): Promise<void> {
  if (!id || !TOKEN_SHAPE.test(id)) return;
  await ctx.db
    .deleteFrom('sessions')
    .where('id_hash', '=', await sha256Hex(id))
    .execute();
}

/** A sign-in link's secret for one person, usable once within 15 minutes; only its hash is stored. */
export async function issueSignInLink(ctx: Omit<StaffContext, 'staff'>, identity: string): Promise<string> {
  const now = ctx.clock();
  const token = randomToken();
  await ctx.db.deleteFrom('sign_in_links').where('expires_at', '<', now).execute();
  await ctx.db
    .insertInto('sign_in_links')
    .values({
      token_hash: await sha256Hex(token),
      identity,
      created_at: now,
      expires_at: new Date(now.getTime() + SIGN_IN_LINK_MS),
    })
    .execute();
  return token;
}

/**
 * Spends a sign-in link and opens a session for its person. The link is marked used in the same statement
 * that checks it, so two clicks at once open one session; an expired, spent or unknown link gives null.
 */
export async function useSignInLink(
  ctx: StaffContext,
  token: string | undefined,
): Promise<{ person: SignedIn; session: { id: string; expires: Date } } | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const now = ctx.clock();
  const row = await ctx.db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', await sha256Hex(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('identity')
    .executeTakeFirst();
  const person = row ? personFor(ctx.staff(), row.identity) : null;
  if (!row || !person) return null;
  return { person, session: await openSession(ctx, row.identity) };
}
