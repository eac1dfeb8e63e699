/**
 * The slices of Cloudflare's runtime types the Worker uses, declared here so the project compiles without
 * the whole of @cloudflare/workers-types in its global scope (it would clash with Node's).
 */
export interface Queue<Body> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>;
}

export interface Message<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<Body> {
  readonly queue: string;
  readonly messages: readonly Message<Body>[];
}

export interface KVNamespace {
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  get(key: string): Promise<string | null>;
  list(options?: { prefix?: string }): Promise<{ keys: { name: string }[] }>;
}
