/**
 * Gap detection.
 *
 * SequenceTracker: Advanced Trade's sequence_num is one counter per connection across every channel
 * (acknowledgements and heartbeats included), so any jump means frames were dropped. The first frame
 * of a connection sets the baseline (Coinbase starts at 0), because numbering restarts per connection.
 *
 * TradeIdTracker: trade ids count up by one per product, so a hole between the last stored id and the
 * next one means trades were missed (typically while disconnected); ids at or below the last stored
 * id are repeats (a post-reconnect snapshot overlaps what was stored) and are dropped.
 */
export interface SequenceGap {
  expected: number;
  received: number;
}

export class SequenceTracker {
  #next: number | null = null;

  /** Forget the baseline: call on every new connection. */
  reset(): void {
    this.#next = null;
  }

  get nextExpected(): number | null {
    return this.#next;
  }

  /** Returns the gap this sequence number reveals, or null. A repeat or step back is not a gap. */
  observe(seq: number): SequenceGap | null {
    const expected = this.#next;
    if (expected === null || seq >= expected) this.#next = seq + 1;
    if (expected !== null && seq > expected) return { expected, received: seq };
    return null;
  }
}

/**
 * A trade id: a number up to 2^53 - 1 (every id Coinbase issues today, so no BigInt per trade), a
 * bigint beyond. Comparisons work across both; +1 and -1 keep the operand's type, exactly.
 */
export type TradeId = number | bigint;

const plusOne = (id: TradeId): TradeId => (typeof id === 'bigint' ? id + 1n : id + 1);
const minusOne = (id: TradeId): TradeId => (typeof id === 'bigint' ? id - 1n : id - 1);

export interface TradeIdGap {
  productId: string;
  /** First missing id. */
  from: TradeId;
  /** Last missing id. */
  to: TradeId;
}

export class TradeIdTracker {
  readonly #last = new Map<string, TradeId>();

  /** The highest trade id stored for the product, or undefined. */
  last(productId: string): TradeId | undefined {
    return this.#last.get(productId);
  }

  /**
   * Takes one product's ids in ascending order and says which to keep (new ones) and which gaps they
   * reveal. Call commit() with the kept ids once they are stored.
   */
  check(productId: string, ascendingIds: readonly TradeId[]): { keep: boolean[]; gaps: TradeIdGap[] } {
    const keep: boolean[] = [];
    const gaps: TradeIdGap[] = [];
    let last = this.#last.get(productId);
    for (const id of ascendingIds) {
      if (last !== undefined && id <= last) {
        keep.push(false);
        continue;
      }
      if (last !== undefined && id > plusOne(last))
        gaps.push({ productId, from: plusOne(last), to: minusOne(id) });
      keep.push(true);
      last = id;
    }
    return { keep, gaps };
  }

  commit(productId: string, highestStoredId: TradeId): void {
    const last = this.#last.get(productId);
    if (last === undefined || highestStoredId > last) this.#last.set(productId, highestStoredId);
  }

  forget(productId: string): void {
    this.#last.delete(productId);
  }
}
