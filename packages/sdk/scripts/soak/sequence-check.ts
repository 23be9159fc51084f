// Exactly-once, in-order delivery check for one reader: every seq from 0 up, each once, in order.
import { checkOf, FLAG_END } from './feed.js';

export interface SequenceReport {
  received: number;
  firstSeq: number;
  lastSeq: number;
  /** Times the next seq jumped ahead of the expected one, and how many seqs those jumps skipped. */
  gaps: number;
  missing: number;
  /** A seq received twice. */
  duplicates: number;
  /** A seq that arrived after a later one (it was counted missing, then showed up). */
  reorders: number;
  /** A record whose check value does not belong to its seq (a torn or corrupt record). */
  torn: number;
  /** A timestamp lower than the previous record's. */
  tsBackwards: number;
  sawEnd: boolean;
  /** The first few anomalies, in words. */
  anomalies: string[];
}

const MAX_ANOMALIES = 8;
/** Gap ranges remembered to tell a late (reordered) seq from a duplicate. */
const MAX_GAP_RANGES = 1024;

export class SequenceCheck {
  readonly #report: SequenceReport = {
    received: 0,
    firstSeq: -1,
    lastSeq: -1,
    gaps: 0,
    missing: 0,
    duplicates: 0,
    reorders: 0,
    torn: 0,
    tsBackwards: 0,
    sawEnd: false,
    anomalies: [],
  };
  #expected = 0;
  #lastTs = 0;
  /** [from, to) ranges of seqs skipped by gaps and not seen since. */
  readonly #gapRanges: Array<[number, number]> = [];

  /** Checks one record; returns true when it is the writer's END record. */
  accept(seq: number, ts: number, flags: number, check: number): boolean {
    const r = this.#report;
    r.received++;
    if (r.firstSeq < 0) r.firstSeq = seq;
    r.lastSeq = seq;
    if (check !== checkOf(seq)) {
      r.torn++;
      this.#note(`seq ${seq}: check ${check} != ${checkOf(seq)} (torn record)`);
    }
    if (ts < this.#lastTs) {
      r.tsBackwards++;
      this.#note(`seq ${seq}: timestamp ${ts} < previous ${this.#lastTs}`);
    }
    this.#lastTs = ts;
    if (seq === this.#expected) {
      this.#expected++;
    } else if (seq > this.#expected) {
      r.gaps++;
      r.missing += seq - this.#expected;
      this.#note(`gap: expected seq ${this.#expected}, got ${seq} (${seq - this.#expected} missing)`);
      if (this.#gapRanges.length < MAX_GAP_RANGES) this.#gapRanges.push([this.#expected, seq]);
      this.#expected = seq + 1;
    } else if (this.#takeFromGap(seq)) {
      r.reorders++;
      r.missing--;
      this.#note(`reorder: seq ${seq} arrived after seq ${this.#expected - 1}`);
    } else {
      r.duplicates++;
      this.#note(`duplicate: seq ${seq} again after seq ${this.#expected - 1}`);
    }
    if ((flags & FLAG_END) !== 0) r.sawEnd = true;
    return r.sawEnd;
  }

  #takeFromGap(seq: number): boolean {
    const i = this.#gapRanges.findIndex(([from, to]) => seq >= from && seq < to);
    if (i < 0) return false;
    const [from, to] = this.#gapRanges[i];
    this.#gapRanges.splice(i, 1);
    if (from < seq) this.#gapRanges.push([from, seq]);
    if (seq + 1 < to) this.#gapRanges.push([seq + 1, to]);
    return true;
  }

  #note(text: string): void {
    if (this.#report.anomalies.length < MAX_ANOMALIES) this.#report.anomalies.push(text);
  }

  get report(): SequenceReport {
    return { ...this.#report, anomalies: [...this.#report.anomalies] };
  }

  get anomalyCount(): number {
    const r = this.#report;
    return r.gaps + r.duplicates + r.reorders + r.torn + r.tsBackwards;
  }
}
