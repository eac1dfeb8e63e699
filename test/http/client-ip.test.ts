import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { clientIpFrom, forwardedClient } from '../../src/http/client-ip.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { buildApp } from './support.ts';

describe('the client address behind proxies', () => {
  it('takes the entry the nearest trusted proxies wrote, counted from the right', () => {
    expect(forwardedClient('6.6.6.6, 192.0.2.10', 1)).toBe('192.0.2.10');
    expect(forwardedClient('6.6.6.6,192.0.2.10, 172.70.1.1', 2)).toBe('192.0.2.10');
    expect(forwardedClient(' 2001:db8::1 ', 1)).toBe('2001:db8::1');
    // Fewer entries than hops: a proxy added nothing, so the leftmost is all there is.
    expect(forwardedClient('192.0.2.10', 2)).toBe('192.0.2.10');
    expect(forwardedClient('192.0.2.10, , ', 1)).toBe('192.0.2.10');
  });

  it('gives nothing for a missing, empty or unusable entry, so the socket address is used', () => {
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient('', 1)).toBeUndefined();
    expect(forwardedClient(' , ', 1)).toBeUndefined();
    expect(forwardedClient('1.2.3.4, not-an-address', 1)).toBeUndefined();
    expect(forwardedClient(`1.2.3.4, ${'1'.repeat(100)}`, 1)).toBeUndefined();

    const ip = clientIpFrom({ trustProxy: true, hops: 1 }, () => '10.0.0.2');
    const ctx = (xff?: string) => ({ req: { header: () => xff } }) as unknown as Parameters<typeof ip>[0];
    expect(ip(ctx('1.2.3.4, garbage!'))).toBe('10.0.0.2');
    expect(ip(ctx())).toBe('10.0.0.2');
    expect(clientIpFrom({ trustProxy: false, hops: 1 }, () => '10.0.0.2')(ctx('192.0.2.10'))).toBe(
      '10.0.0.2',
    );
  });

  it('counts rotating client-written X-Forwarded-For values from one client against that one address', async () => {
    const t = await buildApp(() => ({
      limits: {
        ip: memoryRateLimiter({ limit: 30, windowMs: 10 * 60_000 }),
        email: memoryRateLimiter({ limit: 1000, windowMs: 60_000 }),
      },
      // The socket is nginx's; nginx appended the client's real address after whatever the client sent.
      clientIp: clientIpFrom({ trustProxy: true, hops: 1 }, () => '10.0.0.2'),
    }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await t.app.request('/api/cohorts/leading-team-2027/applications', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `198.51.100.${i}, 192.0.2.10`,
          },
          body: '{}',
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
      expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('reads TRUST_PROXY_HOPS as a positive integer, 1 unless set', () => {
    expect(parseConfig({}).TRUST_PROXY_HOPS).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }).TRUST_PROXY_HOPS).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      expect(() => parseConfig({ TRUST_PROXY_HOPS: bad }), bad).toThrow(ConfigError);
    }
  });
});
