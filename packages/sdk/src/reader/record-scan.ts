import { DeepwaterError } from '../errors.js';
import type { RecordViewControl, ScanRecord } from './record-view.js';

/** A contiguous run of records a scan exposes next, and the seq of its first record. */
export interface ScanRun {
  buffer: ArrayBufferLike;
  byteOffset: number;
  count: number;
  firstSeq: number;
}

/** What a disk or ring reader supplies to a RecordScan. */
export interface ScanSource {
  /** The next non-empty run, or undefined at the end. The memory stays valid until the next call or close(). */
  nextRun(): ScanRun | undefined;
  /** Releases cursors and slots; idempotent. */
  close(): void;
}

/** What an ended scan holds instead of its source, so an ended scan holds no cursor or mapping. */
const ENDED: ScanSource = { nextRun: () => undefined, close: () => {} };

/**
 * A run longer than this is bound in pieces: V8 caps the length of a view over an ArrayBuffer
 * (the view's DataView), and a chunk may be larger than the cap.
 */
export const MAX_RUN_BYTES = 2 ** 30;

/**
 * A scan's run hops, one per resume: takes the source's next run and binds the view to it (a run
 * longer than MAX_RUN_BYTES in pieces), then yields. The scan hops only through this generator:
 * TurboFan never inlines a generator's body into its caller, so none of the hop's code (the chunk
 * cache, lending a mapping, copying and validating ring records, binding the view) is compiled
 * into the caller's optimised loop. Inlined, any of its sites that had no feedback yet when the
 * loop was compiled deoptimised the loop at a chunk hop ("Insufficient type feedback", seen in
 * --trace-deopt: the cache's lend() at the second chunk of a later scan on Node 20; on Node 22,
 * the bind's alignment check, a `%` that V8 12.4 had no feedback for when it inlined bind into the
 * loop), and the loop then boxed every double a getter returned until re-optimised. Returns at the
 * end of the source.
 */
function* hopsOf(
  source: ScanSource,
  control: RecordViewControl,
  view: ScanRecord,
  recordSize: number,
): Generator<undefined, void, undefined> {
  const maxRecords = Math.max(1, Math.floor(MAX_RUN_BYTES / recordSize));
  for (;;) {
    const run = source.nextRun();
    if (run === undefined) return;
    for (let bound = 0; bound < run.count; ) {
      const count = Math.min(run.count - bound, maxRecords);
      control.bind(view, run.buffer, run.byteOffset + bound * recordSize, count, run.firstSeq + bound);
      bound += count;
      yield;
    }
  }
}

/** The hops of an ended scan (a finished generator of the same function, so of the same map). */
const NO_HOPS = hopsOf(
  ENDED,
  undefined as unknown as RecordViewControl,
  undefined as unknown as ScanRecord,
  1,
);
NO_HOPS.next();

/**
 * The first scan of the process, kept (ended, holding nothing but its expired view) as the anchor
 * of RecordScan's hidden class: V8 holds the map an instance gets from its field initialisers only
 * weakly, so once every scan is collected a gc() frees it and deoptimises each loop that inlined
 * next() ("weak objects"): the next scan would run unoptimised, boxing what its getters return.
 */
const shapeAnchor: { scan?: RecordScan } = {};

/** Instances kept for as long as the process, each for its class's hidden class (see keepShapeAlive). */
const anchoredShapes: object[] = [];

/**
 * Keeps `instance` (one that holds nothing: an ended or empty one) alive, and with it the hidden
 * class its field initialisers gave it, which V8 holds only weakly. A scan source needs one: once
 * every scan's source was collected, a gc() freed that map and deoptimised each caller's loop that
 * had inlined its methods ('weak objects' in --trace-deopt; close() still is, at a scan's end: runs
 * come through hopsOf), so the next scan ran unoptimised until
 * recompiled, boxing every double its getters returned (~15 MiB over the bench's 10 M records).
 */
export function keepShapeAlive(instance: object): void {
  anchoredShapes.push(instance);
}

/**
 * The runs of a warm-up scan: runs of `records` zeroed records each, shaped as the disk and ring
 * sources' runs are (the same keys in the same order, so the same hidden class).
 */
class WarmupSource implements ScanSource {
  readonly #buffer: ArrayBuffer;
  readonly #records: number;
  #left: number;

  constructor(recordSize: number, records: number, runs: number) {
    this.#buffer = new ArrayBuffer(recordSize * records);
    this.#records = records;
    this.#left = runs;
  }

  nextRun(): ScanRun | undefined {
    if (this.#left <= 0) return undefined;
    this.#left--;
    return { buffer: this.#buffer, byteOffset: 0, count: this.#records, firstSeq: 0 };
  }

  close(): void {}
}

// Kept for its class's map, as the disk and ring sources are (see keepShapeAlive).
anchoredShapes.push(new WarmupSource(1, 1, 0));

/** Controls whose scans went through recordSlowPathFeedback() (a control is per layout and mode). */
const warmedControls = new WeakSet<RecordViewControl>();

/**
 * Takes two tiny in-memory scans through next()'s slow paths (the first hop, a run hop, the end)
 * before the first real scan of a layout, once next() has its feedback vector (V8 gives a function
 * one only after its first few calls, and a real scan takes these paths once per chunk). Without
 * it the caller's optimised loop met them with no feedback and deoptimised (at the first chunk hop,
 * then at the end: "Insufficient type feedback", --trace-deopt), falling back each time to code
 * that boxes every double a getter returns until re-optimised.
 * Deliberately few calls of the functions the end calls (#end, expire, the source's close): V8
 * inlines only a function that has its own feedback vector, so they stay plain calls in the
 * caller's loop instead of taking the inlining budget the field getters need (warming them too
 * halved the rate). The hops' code is never inlined (see hopsOf).
 */
function recordSlowPathFeedback(feed: string, control: RecordViewControl, recordSize: number): void {
  warmedControls.add(control);
  for (let i = 0; i < 2; i++) {
    const scan = new RecordScan(feed, control, new WarmupSource(recordSize, 32, 2), recordSize);
    while (!scan.next().done) {}
  }
}

/**
 * RecordScan — the iterator scan() returns: every step yields the same ScanRecord, pointed at the
 * next record, so a scan allocates nothing per record. The view is valid until the next step;
 * once the scan ends (exhausted, `break`, close(), or its reader closed) every member of the view
 * throws ERR_CLOSED, so a view kept too long is caught instead of reading released memory.
 */
/** `V`: the view's type (typed from the schema for a typed feed's reader; see ScanRecord). */
export class RecordScan<V extends ScanRecord = ScanRecord> implements IterableIterator<V>, Disposable {
  readonly #feed: string;
  readonly #control: RecordViewControl;
  readonly #view: ScanRecord;
  readonly #step: (view: ScanRecord) => boolean;
  /**
   * The one result object every step returns (for-of reads it before the next step), the last
   * one too (done flipped to true): a second object of another shape at the end would deoptimise
   * the caller's loop as it exits ("wrong map"), and each later scan would start unoptimised.
   */
  readonly #result: { value: ScanRecord; done: boolean };
  #source: ScanSource;
  /** The source's runs, bound to the view one per resume (see hopsOf). */
  #hops: Generator<undefined, void, undefined>;
  #closed = false;
  #endedBy = 'ended';
  #openScans: Set<RecordScan> | undefined;

  /**
   * `source` should be a class instance (its methods shared by every scan) and `openScans` the
   * reader's set of open scans (this one is added, and removed when it ends): a closure made per
   * scan and called from the caller's loop would tie the loop's optimised code to that one scan.
   */
  constructor(
    feed: string,
    control: RecordViewControl,
    source: ScanSource,
    recordSize: number,
    openScans?: Set<RecordScan>,
  ) {
    this.#feed = feed;
    this.#control = control;
    this.#view = control.create();
    this.#step = control.step;
    this.#result = { value: this.#view, done: false };
    this.#source = source;
    this.#hops = hopsOf(source, control, this.#view, recordSize);
    this.#openScans = openScans;
    openScans?.add(this);
    shapeAnchor.scan ??= this;
    if (!warmedControls.has(control)) recordSlowPathFeedback(feed, control, recordSize);
  }

  get closed(): boolean {
    return this.#closed;
  }

  next(): IteratorResult<V> {
    if (this.#step(this.#view)) return this.#result as unknown as IteratorResult<V>;
    for (;;) {
      if (this.#closed) return this.#done();
      let hop: IteratorResult<undefined, void>;
      try {
        hop = this.#hops.next();
      } catch (error) {
        this.#end('failed');
        throw error;
      }
      if (hop.done === true) {
        this.#end('ended');
        return this.#done();
      }
      if (this.#step(this.#view)) return this.#result as unknown as IteratorResult<V>;
    }
  }

  /** The end of the iteration (its value, as for-of ignores it, is the expired view). */
  #done(): IteratorResult<V> {
    this.#result.done = true;
    return this.#result as unknown as IteratorResult<V>;
  }

  return(): IteratorResult<V> {
    this.#end('ended');
    return this.#done();
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Ends the scan early; the view expires. Idempotent. */
  close(): void {
    this.#end('ended');
  }

  /** Called by the reader's close(): the view's error then says the reader was closed. */
  closeForReader(): void {
    this.#end('closed with its reader');
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #end(how: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endedBy = how;
    const feed = this.#feed;
    const endedBy = this.#endedBy;
    this.#control.expire(
      this.#view,
      () =>
        new DeepwaterError(
          'ERR_CLOSED',
          `Feed "${feed}": this scan record was read after its scan ${endedBy}; a scan's record ` +
            'is valid only until the next step: copy what must outlive it with toTuple() or toObject()',
          { feed },
        ),
    );
    try {
      this.#source.close();
    } finally {
      this.#source = ENDED;
      this.#hops = NO_HOPS;
      this.#openScans?.delete(this);
      this.#openScans = undefined;
    }
  }
}
