import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/domain/text.ts';

describe('maskPersonalData', () => {
  it('keeps the first letter and the domain of an address, and nothing else of it', () => {
    expect(maskPersonalData('550 5.1.1 <person@example.org>: Recipient address rejected')).toBe(
      '550 5.1.1 <p…@example.org>: Recipient address rejected',
    );
    expect(maskPersonalData('to dana.levi+kehila@beer-sheva.muni.il, yossi@example.co.il')).toBe(
      'to d…@beer-sheva.muni.il, y…@example.co.il',
    );
  });

  it('masks an address that went through a URL, and one in Hebrew text', () => {
    expect(maskPersonalData('?email=person%40example.org&x=1')).toBe('?email=p…%40example.org&x=1');
    expect(maskPersonalData('הכתובת noa@example.org נדחתה')).toBe('הכתובת n…@example.org נדחתה');
  });

  it('masks Israeli numbers as people write them', () => {
    for (const phone of [
      '052-1234567',
      '0521234567',
      '052 123 4567',
      '052-123-45-67',
      '(052) 123-4567',
      '02-6543210',
      '08-612-3456',
      '077-1234567',
      '972-52-1234567',
      '972521234567',
    ]) {
      expect(maskPersonalData(`call ${phone} today`), phone).toBe('call [phone] today');
      expect(maskPersonalData(`טלפון:${phone}`), phone).toBe('טלפון:[phone]');
    }
  });

  it('masks international numbers with + or 00', () => {
    for (const phone of [
      '+972-52-123-4567',
      '+972521234567',
      '+972 (0)52 123 4567',
      '+44 20 7946 0958',
      '+1 (555) 123-4567',
      '+33 1 23 45 67 89',
      '00972-52-1234567',
      '001 555 123 4567',
    ]) {
      expect(maskPersonalData(`phone ${phone}.`), phone).toBe('phone [phone].');
    }
  });

  it('masks a number followed by more digits whole, rather than leave part of it', () => {
    expect(maskPersonalData('+972 52 123 4567 2027 11 00 99')).not.toMatch(/123|4567/);
  });

  it('leaves SMTP codes, dates, times, addresses of hosts, ids and short numbers alone', () => {
    for (const text of [
      '550 5.1.1 Recipient address rejected',
      '421 4.7.0 Try again later',
      'meeting on 2027-03-11 at 09:00',
      'at 2027-03-11T09:00:00.000Z',
      'Date: Thu, 11 Mar 2027 09:00:00 +0200',
      'size 1234567890 bytes',
      'connect ECONNREFUSED 127.0.0.1:587',
      'job 6f1c2a9e-0521-4a3b-9c1d-052123456789 failed',
      'retry in 1700000000 ms',
      '+1 2',
      'reference LT27-7K4Q9',
    ]) {
      expect(maskPersonalData(text), text).toBe(text);
    }
  });

  it('is idempotent', () => {
    const once = maskPersonalData('a@example.org 052-1234567 +44 20 7946 0958');
    expect(once).toBe('a…@example.org [phone] [phone]');
    expect(maskPersonalData(once)).toBe(once);
  });
});
