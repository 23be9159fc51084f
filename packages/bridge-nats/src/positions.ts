import type { Reader, RecordStream } from '@deepwater/sdk';

/**
 * Seq-addressed access to a local feed: the only place that knows how seqs are obtained, so the
 * switch to the sdk's seq API (stream({ fromSeq }), lastSeq, nextSeq()) is one file.
 *
 * Until that API is on this branch, a seq is the record's ordinal among the records the feed holds
 * (exact while nothing has expired or been overwritten).
 */
export interface SeqStream {
  /** The next record's raw bytes (a view valid until the next call), or undefined if none is published yet. */
  tryNext(): Uint8Array | undefined;
  /** Resolves with the next record, parking while the feed is idle; undefined once closed. */
  next(): Promise<Uint8Array | undefined>;
  /** Seq of the record most recently returned (-1 before any). */
  readonly lastSeq: number;
  close(): void;
}

export function openSeqStream(reader: Reader, fromSeq: number): SeqStream {
  const stream: RecordStream<Uint8Array> = reader.stream({ start: 0, format: 'raw' });
  let lastSeq = -1;
  // Skip to fromSeq; records already held are returned at once by tryNext.
  while (lastSeq + 1 < fromSeq) {
    if (stream.tryNext() === undefined) break;
    lastSeq++;
  }
  let pendingSkip = fromSeq - (lastSeq + 1);
  const take = (record: Uint8Array | undefined): Uint8Array | undefined | 'skip' => {
    if (record === undefined) return undefined;
    lastSeq++;
    if (pendingSkip > 0) {
      pendingSkip--;
      return 'skip';
    }
    return record;
  };
  return {
    tryNext() {
      for (;;) {
        const r = take(stream.tryNext());
        if (r !== 'skip') return r;
      }
    },
    async next() {
      for (;;) {
        const r = take(await stream.next());
        if (r !== 'skip') return r;
      }
    },
    get lastSeq() {
      return lastSeq;
    },
    close() {
      stream.close();
    },
  };
}

/** The seq the next written record will get. */
export function nextSeqOf(reader: Reader): number {
  const held = reader.range(0, Number.MAX_SAFE_INTEGER, { format: 'raw' });
  return held.byteLength / reader.recordSize;
}

/** Seq of the first record with ts >= ts (the next seq if none). */
export function seqAtTime(reader: Reader, ts: number): number {
  const before = reader.range(0, ts, { format: 'raw' });
  return before.byteLength / reader.recordSize;
}
