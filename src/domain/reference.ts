// Read aloud on the phone: no 0/O, 1/I/L, 5/S, 2/Z, 8/B or U/V pairs to confuse.
export const REFERENCE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';
const LENGTH = 5;

/** A short reference such as LT27-7K4Q9, from a cryptographic source (Node and Workers alike). */
export function newReference(prefix: string, random: (n: number) => Uint8Array = randomBytes): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % REFERENCE_ALPHABET.length);
  let out = '';
  while (out.length < LENGTH) {
    for (const byte of random(LENGTH * 2)) {
      if (byte < limit && out.length < LENGTH) out += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
    }
  }
  return `${prefix}-${out}`;
}

const referencePattern = new RegExp(`^[A-Z0-9]{2,6}-[${REFERENCE_ALPHABET}]{${LENGTH}}$`);

/** Accepts what a person reads back: any case, spaces or a missing dash. */
export function parseReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length < LENGTH + 2) return null;
  const candidate = `${compact.slice(0, -LENGTH)}-${compact.slice(-LENGTH)}`;
  return referencePattern.test(candidate) ? candidate : null;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
