import pino from 'pino';

// Personal fields never reach a log line, wherever they appear in a logged object.
const PERSONAL = [
  'email',
  'phone',
  'fullName',
  'full_name',
  'motivation',
  'accessibilityNeeds',
  'organisation',
  'name',
];

export type AppLogger = pino.Logger;

/** The process logger: JSON lines, personal fields redacted at any depth up to three levels. */
export function createLogger(level: string, destination?: pino.DestinationStream): AppLogger {
  const paths = PERSONAL.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino(
    {
      level,
      redact: { paths, censor: '[redacted]' },
      base: { service: 'kehila' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
