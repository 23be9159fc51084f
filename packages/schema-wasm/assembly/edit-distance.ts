// Optimal-string-alignment distance (Levenshtein plus adjacent transposition), used to
// suggest the name the user probably meant ("flaot64" -> "float64" is one edit).

export const MAX_SUGGEST_LENGTH: u32 = 64;
export const NO_DISTANCE: u32 = 0xffffffff;

// Three rolling rows of MAX_SUGGEST_LENGTH + 1 cells: previous-previous, previous, current.
const ROWS = memory.data(3 * (64 + 1) * 4);

function cell(row: u32, j: u32): usize {
  return ROWS + <usize>(((row % 3) * (MAX_SUGGEST_LENGTH + 1) + j) * 4);
}

function lowerAscii(c: u8): u8 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Case-insensitive OSA distance; NO_DISTANCE when either side is too long to bother. */
export function editDistance(a: usize, aLen: u32, b: usize, bLen: u32): u32 {
  if (aLen > MAX_SUGGEST_LENGTH || bLen > MAX_SUGGEST_LENGTH) return NO_DISTANCE;
  for (let j: u32 = 0; j <= bLen; j++) store<u32>(cell(0, j), j);
  for (let i: u32 = 1; i <= aLen; i++) {
    store<u32>(cell(i, 0), i);
    const ca = lowerAscii(load<u8>(a + <usize>(i - 1)));
    for (let j: u32 = 1; j <= bLen; j++) {
      const cb = lowerAscii(load<u8>(b + <usize>(j - 1)));
      const cost: u32 = ca === cb ? 0 : 1;
      let best = load<u32>(cell(i - 1, j)) + 1;
      const insert = load<u32>(cell(i, j - 1)) + 1;
      if (insert < best) best = insert;
      const substitute = load<u32>(cell(i - 1, j - 1)) + cost;
      if (substitute < best) best = substitute;
      if (i > 1 && j > 1) {
        const transposed =
          ca === lowerAscii(load<u8>(b + <usize>(j - 2))) && lowerAscii(load<u8>(a + <usize>(i - 2))) === cb;
        if (transposed) {
          const swap = load<u32>(cell(i - 2, j - 2)) + 1;
          if (swap < best) best = swap;
        }
      }
      store<u32>(cell(i, j), best);
    }
  }
  return load<u32>(cell(aLen, bLen));
}

/** Suggestions further than this are noise rather than help (one-letter names: case only). */
export function suggestionThreshold(len: u32): u32 {
  if (len <= 1) return 0;
  return max<u32>(len / 3, 1);
}
