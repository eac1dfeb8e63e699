// The Worker entry named in wrangler.toml. Only the handlers are exported: workerd treats every export of
// the entry module as an entrypoint.
import type { ExecutionContext } from 'hono';
import type { MessageBatch } from './bindings.ts';
import { deliverQueued, type EdgeEnv, edgeApp } from './edge.ts';
import type { Submission } from './relay.ts';

export default {
  fetch(request: Request, env: EdgeEnv, ctx: ExecutionContext): Response | Promise<Response> {
    return edgeApp(env).fetch(request, env, ctx);
  },
  queue(batch: MessageBatch<Submission>, env: EdgeEnv): Promise<void> {
    return deliverQueued(batch, env);
  },
};
