/**
 * Decimal strings ("1260.01") to scaled integers (126001000000 at 10 decimals), exactly.
 *
 * Coinbase sends prices and sizes as decimal strings. Storing them as float64 would round values such
 * as "0.1" and make equality checks in a backtest unreliable, so they are stored as int64 counts of a
 * fixed unit (10^-scale). A string that would need rounding to fit the scale is rejected, never rounded.
 */

/** A 64-bit integer as the sdk accepts it: a safe-integer number on the fast path, a bigint beyond. */
export type Int64Value = number | bigint;

const INT64_MAX = 9223372036854775807n;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
// 15 decimal digits always fit a double exactly (2^53 ≈ 9.007e15), so the fast path never rounds.
const SAFE_DIGITS = 15;

export class DecimalError extends RangeError {
  override readonly name = 'DecimalError';
}

/**
 * Parses `text` (digits with an optional fraction: "42", "0.00012", "1260.010") into the integer
 * `text × 10^scale`. Throws DecimalError naming `field` when the text is not a plain non-negative
 * decimal, has non-zero digits beyond `scale` decimal places, or does not fit int64.
 */
export function decimalToScaled(text: string, scale: number, field: string): Int64Value {
  const length = text.length;
  let dot = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === CHAR_DOT && dot === -1) {
      dot = i;
    } else if (c < CHAR_0 || c > CHAR_9) {
      throw new DecimalError(`field "${field}": ${JSON.stringify(text)} is not a plain decimal number`);
    }
  }
  if (length === 0 || dot === 0 || dot === length - 1) {
    throw new DecimalError(`field "${field}": ${JSON.stringify(text)} is not a plain decimal number`);
  }
  const intEnd = dot === -1 ? length : dot;
  let fracDigits = dot === -1 ? 0 : length - dot - 1;
  // Trailing zeros beyond the scale carry no value ("0.30000000000" at scale 8 is exact).
  while (fracDigits > scale && text.charCodeAt(dot + fracDigits) === CHAR_0) fracDigits--;
  if (fracDigits > scale) {
    throw new DecimalError(
      `field "${field}": ${JSON.stringify(text)} has more than ${scale} decimal places and cannot be stored exactly`,
    );
  }
  let firstSignificant = 0;
  while (firstSignificant < intEnd - 1 && text.charCodeAt(firstSignificant) === CHAR_0) firstSignificant++;
  if (intEnd - firstSignificant + scale <= SAFE_DIGITS) {
    let value = 0;
    for (let i = firstSignificant; i < intEnd; i++) value = value * 10 + (text.charCodeAt(i) - CHAR_0);
    for (let i = 1; i <= fracDigits; i++) value = value * 10 + (text.charCodeAt(dot + i) - CHAR_0);
    for (let i = fracDigits; i < scale; i++) value *= 10;
    return value;
  }
  const digits =
    text.slice(firstSignificant, intEnd) + (dot === -1 ? '' : text.slice(dot + 1, dot + 1 + fracDigits));
  const big = BigInt(digits) * 10n ** BigInt(scale - fracDigits);
  if (big > INT64_MAX) {
    throw new DecimalError(`field "${field}": ${JSON.stringify(text)} × 10^${scale} does not fit int64`);
  }
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** The decimal text of a scaled integer: scaledToDecimal(126001000000, 8) === "1260.01". */
export function scaledToDecimal(value: Int64Value, scale: number): string {
  const digits = BigInt(value)
    .toString()
    .padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction.length > 0 ? `${whole}.${fraction}` : whole;
}

/** Prices are stored as int64 units of 10^-10 (Coinbase quote increments go down to 10^-9 or so). */
export const PRICE_SCALE = 10;
/** Sizes and quantities are stored as int64 units of 10^-8 (the smallest Coinbase base increment). */
export const SIZE_SCALE = 8;
