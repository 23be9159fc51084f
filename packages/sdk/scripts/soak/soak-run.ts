// The soak's parent: starts the readers, then writer generations it SIGKILLs on schedule; runs
// retention cleanup; samples every process; at the end finishes the writer, lets the readers drain
// to the END record and collects everything the verdict needs.
import { type Platform, runCleanup } from '../../src/index.js';
import { SoakChild, sleep } from './children.js';
import { FEED } from './feed.js';
import type { SoakOptions } from './options.js';
import { sampleProcess } from './proc-sample.js';
import { type ChildMessage, READER_ROLES, type ReaderRole } from './protocol.js';
import type { RoleSeries } from './resource-report.js';
import type { SequenceReport } from './sequence-check.js';

/** Writer generations that fail on their own (not our SIGKILL) before the run is abandoned. */
const MAX_UNPLANNED_WRITER_ENDS = 3;
const READY_TIMEOUT_MS = 60_000;

export interface CleanupTotals {
  runs: number;
  deletedChunks: number;
  bytesFreed: number;
  /** Runs that stopped at an expired chunk because a live reader was at or before it (all later chunks stay too). */
  stoppedAtReader: number;
  errors: string[];
}

export interface SoakResult {
  failures: string[];
  finalSeq: number | undefined;
  generations: number;
  plannedKills: number;
  readerReports: Map<ReaderRole, SequenceReport>;
  cleanup: CleanupTotals;
  resources: RoleSeries[];
  /** Seconds of writing (first writer start to the END record request), then of the readers' drain. */
  writingS: number;
  drainS: number;
}

interface ReaderState {
  child: SoakChild;
  ready: boolean;
  received: number;
  lastSeq: number;
  anomalies: number;
  report?: SequenceReport;
}

export class SoakRun {
  readonly #options: SoakOptions;
  readonly #base: string;
  readonly #platform: Platform;
  readonly #startMs = Date.now();
  readonly #failures: string[] = [];
  readonly #readers = new Map<ReaderRole, ReaderState>();
  readonly #resources = new Map<string, RoleSeries>();
  readonly #cleanup: CleanupTotals = {
    runs: 0,
    deletedChunks: 0,
    bytesFreed: 0,
    stoppedAtReader: 0,
    errors: [],
  };
  #writer: SoakChild | undefined;
  #writerReadyAtS: number | undefined;
  #generation = 0;
  #plannedKills = 0;
  #unplannedWriterEnds = 0;
  /** Highest seq a writer reported as published: the next generation must resume at or after it. */
  #publishedSeq = 0;
  #finalSeq: number | undefined;
  #aborted = false;
  /** When the first writer started (s since the soak started); progress and run time count from here. */
  #runStartS = 0;

  constructor(options: SoakOptions, base: string, platform: Platform) {
    this.#options = options;
    this.#base = base;
    this.#platform = platform;
  }

  get #nowS(): number {
    return (Date.now() - this.#startMs) / 1000;
  }

  #fail(text: string): void {
    this.#failures.push(text);
  }

  #abort(text: string): void {
    this.#fail(text);
    this.#aborted = true;
  }

  /** Every child still running, for cleanup by the caller on an interrupt. */
  children(): SoakChild[] {
    const all = [...this.#readers.values()].map((r) => r.child);
    if (this.#writer !== undefined) all.push(this.#writer);
    return all.filter((c) => c.running);
  }

  #onMessage = (child: SoakChild, message: ChildMessage): void => {
    switch (message.type) {
      case 'ready':
      case 'progress':
      case 'done': {
        const state = this.#readers.get(message.role);
        if (state === undefined) return;
        if (message.type === 'ready') state.ready = true;
        else if (message.type === 'progress') {
          state.received = message.received;
          state.lastSeq = message.lastSeq;
          state.anomalies = message.anomalies;
        } else {
          state.report = message.report;
          state.received = message.report.received;
          state.lastSeq = message.report.lastSeq;
        }
        return;
      }
      case 'writer-ready':
        this.#writerReadyAtS = this.#nowS;
        if (message.resumeSeq < this.#publishedSeq)
          this.#fail(
            `writer gen ${message.gen} resumed at seq ${message.resumeSeq}, but seq ${this.#publishedSeq - 1} had been published: published records vanished`,
          );
        this.#publishedSeq = Math.max(this.#publishedSeq, message.resumeSeq);
        return;
      case 'writer-progress':
        this.#publishedSeq = Math.max(this.#publishedSeq, message.nextSeq);
        return;
      case 'writer-finished':
        this.#finalSeq = message.finalSeq;
        return;
      case 'error':
        this.#fail(`${child.role} pid ${child.pid} reported: ${message.message}`);
        return;
    }
  };

  /** Starts sampling a process under `role` (writer generations share the role "writer"). */
  #track(role: string, pid: number, startedAtS: number): void {
    let series = this.#resources.get(role);
    if (series === undefined) {
      series = { role, processes: [] };
      this.#resources.set(role, series);
    }
    series.processes.push({ pid, startedAtS, samples: [] });
  }

  #spawn(role: string, script: string, args: (string | number)[]): SoakChild {
    const child = new SoakChild(role, script, args, this.#nowS, this.#onMessage);
    this.#track(role.startsWith('writer') ? 'writer' : role, child.pid, child.startedAtS);
    return child;
  }

  #startWriter(): void {
    this.#generation++;
    this.#writerReadyAtS = undefined;
    this.#writer = this.#spawn(`writer gen ${this.#generation}`, 'writer.ts', [
      this.#base,
      this.#options.rate,
      this.#generation,
      this.#options.inject ?? 'none',
    ]);
  }

  async #startReaders(): Promise<void> {
    for (const role of READER_ROLES) {
      const child = this.#spawn(role, 'reader.ts', [this.#base, role, this.#options.rate]);
      this.#readers.set(role, { child, ready: false, received: 0, lastSeq: -1, anomalies: 0 });
    }
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const states = [...this.#readers.values()];
      const dead = states.find((s) => !s.child.running);
      if (dead !== undefined)
        return this.#abort(`reader ${dead.child.unexpectedEnd() ?? dead.child.role} before it was ready`);
      if (states.every((s) => s.ready)) return;
      if (Date.now() > deadline) return this.#abort(`readers not ready after ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
  }

  /** Samples every running soak process and this one. */
  #sample(): void {
    const at = this.#nowS;
    for (const series of this.#resources.values()) {
      for (const p of series.processes) {
        const sample = sampleProcess(p.pid, at);
        if (sample !== undefined) p.samples.push(sample);
      }
    }
  }

  #runCleanup(): void {
    try {
      const report = runCleanup(this.#base);
      this.#cleanup.runs++;
      this.#cleanup.deletedChunks += report.deletedChunks;
      this.#cleanup.bytesFreed += report.bytesFreed;
      if (report.feeds.some((feed) => feed.decisions.some((d) => d.reason === 'live-reader')))
        this.#cleanup.stoppedAtReader++;
    } catch (error) {
      const text = `cleanup run ${this.#cleanup.runs + 1} threw: ${(error as Error).message}`;
      this.#cleanup.errors.push(text);
      this.#fail(text);
    }
  }

  #progressLine(): string {
    const status = this.#platform.feedStatus(FEED);
    const { chunkSizeBytes, recordSize } = this.#platform.describeFeed(FEED);
    const recordsPerChunk = Math.floor(chunkSizeBytes / recordSize);
    const k = (n: number) => n.toLocaleString('en-US');
    const readers = READER_ROLES.map((role) => {
      const s = this.#readers.get(role);
      if (s === undefined) return `${role} -`;
      const lag = Math.max(0, this.#publishedSeq - (s.lastSeq + 1));
      const lagText =
        role === 'slow' ? ` (lag ${k(lag)} ≈ ${(lag / recordsPerChunk).toFixed(1)} chunks)` : '';
      return `${role} ${k(s.received)}${lagText}`;
    }).join(', ');
    const anomalies = [...this.#readers.values()].reduce((n, s) => n + s.anomalies, 0);
    return (
      `[${(this.#nowS - this.#runStartS).toFixed(0).padStart(4)} s] writer gen ${this.#generation} published ${k(this.#publishedSeq)}, kills ${this.#plannedKills} | ` +
      `${readers} | anomalies ${anomalies} | chunks on disk ${status.chunkCount}, cleanup removed ${this.#cleanup.deletedChunks} ` +
      `(${(this.#cleanup.bytesFreed / 1048576).toFixed(1)} MiB)`
    );
  }

  /** Handles a writer that ended: planned kills restart it; anything else is a failure (and a restart). */
  async #superviseWriter(): Promise<void> {
    const writer = this.#writer;
    if (writer === undefined) return;
    if (writer.running) {
      const due =
        this.#writerReadyAtS !== undefined && this.#nowS - this.#writerReadyAtS >= this.#options.killEvery;
      if (!due) return;
      await writer.killPlanned();
      this.#plannedKills++;
    } else {
      const end = writer.unexpectedEnd() ?? `${writer.role} pid ${writer.pid} exited before it was asked to`;
      this.#fail(end);
      if (++this.#unplannedWriterEnds >= MAX_UNPLANNED_WRITER_ENDS)
        return this.#abort(`writer ended on its own ${this.#unplannedWriterEnds} times: giving up`);
    }
    this.#startWriter();
  }

  #checkReadersAlive(): void {
    for (const s of this.#readers.values()) {
      if (!s.child.running && s.report === undefined)
        this.#abort(s.child.unexpectedEnd() ?? `${s.child.role} exited before the END record`);
    }
  }

  /** Finishes the writer with its END record and waits for every reader to reach it. */
  async #finish(): Promise<void> {
    // A writer still starting up is let come up, so the END record follows a resumed sequence.
    const readyDeadline = Date.now() + READY_TIMEOUT_MS;
    while (this.#writer?.running && this.#writerReadyAtS === undefined && Date.now() < readyDeadline)
      await sleep(50);
    const writer = this.#writer;
    if (writer === undefined || !writer.running || this.#writerReadyAtS === undefined) {
      this.#fail('no running writer at the end to write the END record');
    } else {
      writer.command('finish');
      const exit = await Promise.race([writer.exited, sleep(30_000).then(() => undefined)]);
      if (exit === undefined) {
        await writer.killPlanned();
        this.#fail(`${writer.role} did not finish within 30 s`);
      } else if (writer.unexpectedEnd() !== undefined) {
        this.#fail(writer.unexpectedEnd() as string);
      }
      if (this.#finalSeq === undefined) this.#fail(`${writer.role} did not report its END record`);
    }
    this.#readers.get('slow')?.child.command('drain');
    const deadline = Date.now() + this.#options.drainTimeout * 1000;
    const pending = () => [...this.#readers.values()].filter((s) => s.child.running);
    while (pending().length > 0 && Date.now() < deadline) await sleep(100);
    for (const s of pending()) {
      this.#fail(
        `${s.child.role} did not reach the END record within ${this.#options.drainTimeout} s (at seq ${s.lastSeq})`,
      );
      await s.child.killPlanned();
    }
    for (const s of this.#readers.values()) {
      const end = s.child.unexpectedEnd();
      if (end !== undefined) this.#fail(end);
    }
  }

  async run(): Promise<SoakResult> {
    const o = this.#options;
    this.#track('parent (cleanup)', process.pid, 0);
    await this.#startReaders();
    if (!this.#aborted) this.#startWriter();
    this.#runStartS = this.#nowS; // the run time counts from the first writer's start
    const endS = this.#runStartS + o.minutes * 60;
    /** The next time on a grid of `every` from the run start that is still ahead (a late loop skips, never bursts). */
    const nextOnGrid = (every: number) => {
      const now = this.#nowS - this.#runStartS;
      return this.#runStartS + (Math.floor(now / every) + 1) * every;
    };
    let nextSampleS = this.#runStartS;
    let nextCleanupS = this.#runStartS + o.cleanupEvery;
    let samples = 0;
    while (!this.#aborted && this.#nowS < endS) {
      await this.#superviseWriter();
      this.#checkReadersAlive();
      if (this.#nowS >= nextCleanupS) {
        this.#runCleanup();
        nextCleanupS = nextOnGrid(o.cleanupEvery);
      }
      if (this.#nowS >= nextSampleS) {
        this.#sample();
        if (samples++ > 0) console.log(this.#progressLine());
        nextSampleS = nextOnGrid(o.sampleEvery);
      }
      await sleep(100);
    }
    this.#sample(); // the last sample: the end of the steady state, before the drain
    console.log(this.#progressLine());
    const writingEndS = this.#nowS;
    if (!this.#aborted) await this.#finish();
    const drainS = this.#nowS - writingEndS;
    for (const child of this.children()) await child.killPlanned();
    this.#runCleanup();
    const readerReports = new Map<ReaderRole, SequenceReport>();
    for (const [role, s] of this.#readers) if (s.report !== undefined) readerReports.set(role, s.report);
    return {
      failures: this.#failures,
      finalSeq: this.#finalSeq,
      generations: this.#generation,
      plannedKills: this.#plannedKills,
      readerReports,
      cleanup: this.#cleanup,
      resources: [...this.#resources.values()],
      writingS: writingEndS - this.#runStartS,
      drainS,
    };
  }
}
