// Just enough MIME (RFC 2045–2047) to read what nodemailer sends: folded headers, encoded words in the
// subject, nested multiparts, base64 and quoted-printable bodies. A test reads the message as a mail client
// would, rather than trusting the object that was handed to the mailer.

export interface MimePart {
  headers: Map<string, string>;
  /** The decoded body of a leaf part; empty for a multipart. */
  body: string;
  parts: MimePart[];
}

/** One message as the SMTP fake received it: dot-stuffing undone, lines joined by \n. */
export function parseMime(raw: string): MimePart {
  const unstuffed = raw
    .split('\n')
    .map((l) => (l.startsWith('..') ? l.slice(1) : l))
    .join('\n');
  return parsePart(unstuffed.replace(/\r\n/g, '\n'));
}

function parsePart(text: string): MimePart {
  const split = text.indexOf('\n\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const rest = split >= 0 ? text.slice(split + 2) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const chunks = rest.split(`--${boundary}`);
    // What comes before the first boundary is the preamble, after the closing one ("--") the epilogue.
    const parts = chunks
      .slice(1)
      .filter((c) => !c.startsWith('--'))
      .map((c) => parsePart(c.replace(/^\n/, '').replace(/\n$/, '')));
    return { headers, body: '', parts };
  }
  return { headers, body: decodeBody(rest, headers.get('content-transfer-encoding') ?? ''), parts: [] };
}

function decodeBody(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return quotedPrintable(body.replace(/=\n/g, ''));
  return body;
}

function quotedPrintable(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s[i] === '=' ? /^[0-9A-F]{2}/i.exec(s.slice(i + 1, i + 3))?.[0] : undefined;
    if (hex) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header's encoded words (=?UTF-8?B?…?=, =?UTF-8?Q?…?=) decoded; the spaces between two of them dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : quotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** Every leaf part of a message, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

/** The first leaf whose Content-Type starts with the type given. */
export function partOf(message: MimePart, type: string): MimePart | undefined {
  return leaves(message).find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith(type));
}
