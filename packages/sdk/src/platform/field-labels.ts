/**
 * Value labels of a field: names for the numbers an integer field holds (an event kind, a side, a
 * status), e.g. `{ name: 'kind', type: 'uint8', labels: { 1: 'SEQUENCE_GAP', 3: 'DISCONNECT' } }`.
 * Stored in feed.json with the field, returned by describeFeed/getRecordFormat, and shown by the CLI
 * and the dashboard in place of the number. The records themselves hold the number.
 */

/** A label map as feed.json stores it: decimal integer keys (canonical form) to names. */
export type FieldLabels = Readonly<Record<string, string>>;

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};
const MAX_LABEL_LENGTH = 64;
const MAX_LABELS = 4096;
// Printable, without the characters that would need quoting in a table: labels are shown as is.
const LABEL_PATTERN = /^[\p{L}\p{N}_.:/+-](?:[\p{L}\p{N} _.:/+-]*[\p{L}\p{N}_.:/+-])?$/u;

/**
 * Checks a field's `labels` and returns them in canonical form, or a sentence saying what is wrong
 * (naming the key or value) for the caller to wrap in its error.
 */
export function checkFieldLabels(type: string, labels: unknown): FieldLabels | string {
  const range = INTEGER_RANGES[type];
  if (range === undefined) {
    return `labels need an integer type of at most 32 bits (${Object.keys(INTEGER_RANGES).join(', ')}), not ${type}`;
  }
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    return `labels must be an object mapping values to names, e.g. { "1": "OPEN" }, got ${Array.isArray(labels) ? 'an array' : JSON.stringify(labels)}`;
  }
  const entries = Object.entries(labels);
  if (entries.length === 0) return 'labels must name at least one value';
  if (entries.length > MAX_LABELS)
    return `labels may name at most ${MAX_LABELS} values, got ${entries.length}`;
  const canonical: Record<string, string> = {};
  const valueOfLabel = new Map<string, string>();
  for (const [key, label] of entries) {
    if (!/^(0|-?[1-9][0-9]*)$/.test(key)) return `labels key ${JSON.stringify(key)} is not an integer`;
    const value = Number(key);
    if (value < range[0] || value > range[1]) {
      return `labels key ${key} is outside ${type} (${range[0]}..${range[1]})`;
    }
    if (typeof label !== 'string' || !LABEL_PATTERN.test(label) || label.length > MAX_LABEL_LENGTH) {
      return `label of ${key} must be 1-${MAX_LABEL_LENGTH} letters, digits, spaces or _ . : / + - (no leading or trailing space), got ${JSON.stringify(label)}`;
    }
    // A label that reads as a number would be taken for one in CSV or by a reader of the output.
    if (/^-?[0-9]/.test(label))
      return `label of ${key} must not start with a digit or '-', got ${JSON.stringify(label)}`;
    const twin = valueOfLabel.get(label);
    if (twin !== undefined) return `label ${JSON.stringify(label)} names both ${twin} and ${key}`;
    valueOfLabel.set(label, key);
    canonical[key] = label;
  }
  return canonical;
}

/** The label of a field's value, or the value itself when the field has no label for it. */
export function labelOf(labels: FieldLabels, value: unknown): unknown {
  return (
    (typeof value === 'number' || typeof value === 'bigint' ? labels[String(value)] : undefined) ?? value
  );
}
