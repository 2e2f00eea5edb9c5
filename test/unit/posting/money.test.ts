import { formatMoney, normaliseMoney, parseMoney, parseScaled, formatScaled, sumMoney, MoneyFormatError } from '../../../domain/money';

describe('exact money', () => {
  it.each<[string, bigint, string]>([
    ['0', 0n, '0.00'],
    ['12.5', 1250n, '12.50'],
    ['-0.01', -1n, '-0.01'],
    ['+7', 700n, '7.00'],
    ['1234567890123456.78', 123456789012345678n, '1234567890123456.78'],
    ['3.100', 310n, '3.10'],
  ])('%s -> %s cents -> %s', (text, cents, formatted) => {
    expect(parseMoney(text)).toBe(cents);
    expect(formatMoney(cents)).toBe(formatted);
    expect(normaliseMoney(text)).toBe(formatted);
  });

  it.each(['1.005', '1e3', '', '12,50', '0x10', '1.2.3', ' - 1'])('refuses %p rather than round it', (text) => {
    expect(() => parseMoney(text)).toThrow(MoneyFormatError);
  });

  it('sums a thousand 0.10s to exactly 100.00 (floats would not)', () => {
    expect(formatMoney(sumMoney(Array.from({ length: 1000 }, () => parseMoney('0.10'))))).toBe('100.00');
  });

  it('keeps other scales for quantities and unit prices', () => {
    expect(parseScaled('2.12345', 5)).toBe(212345n);
    expect(formatScaled(-5n, 4)).toBe('-0.0005');
    expect(formatScaled(42n, 0)).toBe('42');
  });
});
