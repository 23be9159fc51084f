import { DeepwaterTypeError } from '@deepwater/errors';

/** Nearest candidate by edit distance, for "did you mean" hints on misspelled options. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lowered = input.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lowered, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  // Beyond a third of the word the hint is noise rather than help.
  return bestDistance <= Math.max(2, Math.ceil(input.length / 3)) ? best : undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const hint = suggest(input, candidates);
  return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Rejects keys outside `allowed`, naming the key and the nearest allowed one. */
export function checkOptionKeys(
  options: object,
  allowed: readonly string[],
  context: string,
  makeError: (message: string) => Error = (m) => new DeepwaterTypeError(m),
): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw makeError(`${context}: unknown option "${key}"${didYouMean(key, allowed)}`);
    }
  }
}
