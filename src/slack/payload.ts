import { z } from 'zod';

// Bolt reads a delivery's fields without looking at their types first: a `user` of null, an `event` that is
// a string or an `actions` item that is not an object throws a TypeError inside it before anything is
// acked, and our listeners read the same fields after it. A signed body is only as well formed as its
// sender made it, so each field Bolt or a listener reads is checked here, once, for both transports.
// Everything else is left as it came: Slack adds fields often, and a field no one reads harms nothing.

const text = z.string();
// Bolt keeps a client per workspace in a plain object keyed by the team or enterprise id, so an id such as
// `__proto__` or `constructor` would reach Object.prototype there. Slack's own are upper case and digits.
const workspaceId = z.string().regex(/^[A-Z0-9]{1,40}$/);
const idObject = z.looseObject({ id: text, team_id: workspaceId.nullish() });
const elementState = z.looseObject({
  value: text.nullish(),
  selected_option: z.looseObject({ value: text }).nullish(),
});

const event = z.looseObject({
  type: text,
  user: z.union([text, z.looseObject({ id: text.optional() })]).optional(),
  channel: z.union([text, z.looseObject({ id: text.optional() })]).optional(),
  channel_id: text.optional(),
  item: z.looseObject({}).optional(),
});

const action = z.looseObject({
  action_id: text,
  block_id: text.optional(),
  value: text.optional(),
  action_ts: text.optional(),
});

const view = z.looseObject({
  id: text.optional(),
  hash: text.optional(),
  callback_id: text,
  private_metadata: text.optional(),
  app_installed_team_id: workspaceId.optional(),
  state: z.looseObject({ values: z.record(text, z.record(text, elementState)) }).optional(),
});

// Interactivity Slack posts on a person's behalf: each names the person, and Bolt reads their id.
const BY_A_PERSON = new Set([
  'block_actions',
  'interactive_message',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'block_suggestion',
  'dialog_submission',
]);

const delivery = z
  .looseObject({
    type: text.optional(),
    event: event.optional(),
    user: idObject.optional(),
    // Null for an app installed across an organisation.
    team: z.looseObject({ id: workspaceId.nullish(), enterprise_id: workspaceId.nullish() }).nullish(),
    team_id: workspaceId.nullish(),
    enterprise: z.looseObject({ id: workspaceId.nullish() }).nullish(),
    enterprise_id: workspaceId.nullish(),
    channel: z.looseObject({ id: text.optional() }).optional(),
    actions: z.array(action).optional(),
    view: view.optional(),
    trigger_id: text.optional(),
    response_url: text.optional(),
    response_urls: z.array(z.looseObject({ response_url: text })).optional(),
    authorizations: z
      .array(z.looseObject({ team_id: workspaceId.nullish(), enterprise_id: workspaceId.nullish() }))
      .optional(),
    function_data: z.looseObject({}).optional(),
  })
  .refine((body) => !(BY_A_PERSON.has(body.type ?? '') || body.actions) || body.user, {
    message: 'interactivity without the person',
  })
  .refine((body) => !(body.type === 'view_submission' || body.type === 'view_closed') || body.view, {
    message: 'a view payload without its view',
  });

/** Whether a parsed, signed body has the shape Bolt and our listeners read; the first problem otherwise. */
export function checkDelivery(body: Record<string, unknown>): { ok: true } | { ok: false; problem: string } {
  const parsed = delivery.safeParse(body);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}` };
}
