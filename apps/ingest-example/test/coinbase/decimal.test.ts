import { describe, expect, it } from 'vitest';
import { DecimalError, decimalToScaled, scaledToDecimal } from '../../src/coinbase/decimal.js';

describe('decimalToScaled', () => {
  it('scales plain decimals exactly', () => {
    expect(decimalToScaled('1260.01', 8, 'price')).toBe(126001000000);
    expect(decimalToScaled('0.3', 8, 'size')).toBe(30000000);
    expect(decimalToScaled('42', 2, 'x')).toBe(4200);
    expect(decimalToScaled('0', 10, 'x')).toBe(0);
    expect(decimalToScaled('000.00000001', 8, 'x')).toBe(1);
  });

  it('keeps 0.1 + 0.2 style sums exact where float64 would not', () => {
    const sum = (decimalToScaled('0.1', 10, 'p') as number) + (decimalToScaled('0.2', 10, 'p') as number);
    expect(sum).toBe(decimalToScaled('0.3', 10, 'p'));
  });

  it('accepts trailing zeros beyond the scale', () => {
    expect(decimalToScaled('1.2300000000000', 8, 'size')).toBe(123000000);
  });

  it('returns a bigint once the value passes the safe-integer range', () => {
    expect(decimalToScaled('92233720.3685477580', 11, 'x')).toBe(9223372036854775800n);
    expect(decimalToScaled('123456789.123', 10, 'price')).toBe(1234567891230000000n);
    expect(decimalToScaled('900719.9254740991', 10, 'price')).toBe(9007199254740991);
    expect(decimalToScaled('900719.9254740992', 10, 'price')).toBe(9007199254740992n);
  });

  it('rejects digits it would have to round, naming the field and value', () => {
    expect(() => decimalToScaled('0.000000001', 8, 'size')).toThrow(DecimalError);
    expect(() => decimalToScaled('0.000000001', 8, 'size')).toThrow(
      /field "size": "0.000000001" has more than 8/,
    );
  });

  it('rejects values beyond int64', () => {
    expect(() => decimalToScaled('1000000000000', 8, 'size')).toThrow(/does not fit int64/);
  });

  it.each(['', '.5', '5.', '-1', '+1', '1e5', '1.2.3', ' 1', 'NaN', '1,5'])('rejects %j', (bad) => {
    expect(() => decimalToScaled(bad, 8, 'price')).toThrow(/field "price": .* is not a plain decimal/);
  });

  it('round-trips through scaledToDecimal', () => {
    for (const text of ['1260.01', '0.00000001', '65000', '0.5', '123456789.12345678']) {
      expect(scaledToDecimal(decimalToScaled(text, 8, 'x'), 8)).toBe(text);
    }
  });
});
