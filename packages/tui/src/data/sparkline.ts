const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value, scaled to the largest value shown. Unknown and zero print as a space;
 * any non-zero value gets at least the lowest bar so that a trickle never looks like silence.
 */
export function sparkline(values: readonly (number | null)[]): string {
  let max = 0;
  for (const v of values) if (v != null && v > max) max = v;
  let out = '';
  for (const v of values) {
    if (v == null || v <= 0 || max === 0) {
      out += ' ';
      continue;
    }
    const level = Math.min(BARS.length - 1, Math.floor((v / max) * BARS.length));
    out += BARS[level];
  }
  return out;
}
