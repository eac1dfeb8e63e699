import pino from 'pino';
import { maskPersonalData } from './domain/text.ts';

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
      // Redaction goes by key; an error's text can quote an address or a phone number, so it is masked too.
      serializers: { err: maskError },
      base: { service: 'kehila' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

function maskError(err: unknown): unknown {
  if (typeof err === 'string') return maskPersonalData(err);
  if (err instanceof Error)
    return {
      type: err.name,
      message: maskPersonalData(err.message),
      stack: maskPersonalData(err.stack ?? ''),
    };
  if (err && typeof err === 'object') return JSON.parse(maskPersonalData(JSON.stringify(err)));
  return err;
}
