import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, israelTime, phoneText } from '../../src/domain/csv.ts';

describe('cells for Excel', () => {
  it('write instants in Israel time, across the clock changes', () => {
    expect(israelTime(new Date('2027-01-05T12:30:00Z'))).toBe('2027-01-05 14:30');
    expect(israelTime('2027-07-01T21:15:00Z')).toBe('2027-07-02 00:15');
    expect(csvCell(new Date('2027-01-05T12:30:00Z'))).toBe('2027-01-05 14:30');
  });

  it('write Israeli numbers in their national form and others internationally, never as a bare number', () => {
    expect(phoneText('+972507234567')).toBe('050-723-4567');
    expect(phoneText('+97225551234')).toBe('02-555-1234');
    expect(phoneText(null)).toBe('');
    // Another country's number keeps its prefix; its leading + is neutralised like any formula.
    expect(csvCell(phoneText('+447911123456'))).toBe(`"'+44 7911 123456"`);
  });

  it('make a file with a BOM, a header and CRLF after every record', () => {
    expect(csvDocument(['א', 'ב'], [['1', 'x, y']])).toBe('\uFEFFא,ב\r\n1,"x, y"\r\n');
  });
});
