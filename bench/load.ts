// The load generator, in a process of its own so it does not share a CPU's event loop with the server.
// Reads its options as JSON from argv and prints autocannon's result as JSON.
import autocannon from 'autocannon';

interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  rate?: number;
  /** Every request carries an Idempotency-Key of its own, as every edge relay sends one. */
  idempotency?: boolean;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const run = Math.random().toString(36).slice(2, 8);
let n = 0;
const body = (i: number) =>
  JSON.stringify({
    fullName: 'נועה כהן',
    email: `bench-${run}-${i}@example.org`,
    phone: '050-7234567',
    organisation: 'עיריית ירוחם',
    roleTitle: 'מנהלת מחלקת חינוך',
    sector: 'local-authority',
    region: 'south',
    motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות מקומיות ותוכניות.',
    topics: ['data', 'periphery'],
    confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
    consent: true,
  });

const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url: opts.url,
  method: 'POST',
  duration: opts.seconds,
  connections: opts.connections,
  ...(opts.rate ? { overallRate: opts.rate } : {}),
  headers: { 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (req) => {
        const i = n++;
        return {
          ...req,
          body: body(i),
          headers: {
            ...req.headers,
            ...(opts.idempotency ? { 'idempotency-key': `bench-${run}-${i}` } : {}),
          },
        };
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // The generator's own CPU, so the bench can say what share of the machine the load itself took.
    cpuMs: (() => {
      const used = process.cpuUsage(cpuBefore);
      return (used.user + used.system) / 1000;
    })(),
  }),
);
