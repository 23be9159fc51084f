import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { DATA_OFFSET } from '../../../src/disk/chunk-layout.js';
import { checkHealth } from '../../../src/ops/health.js';
import { runRepair } from '../../../src/ops/repair.js';
import { Platform } from '../../../src/platform/platform.js';
import { CHUNK_BYTES, RECORD_SIZE, TRADE_FIELDS } from '../helpers/bases.js';

/**
 * One trial of the corruption fuzzer (issue #14): copy a healthy base, damage one byte range of one
 * of its files, then run what an operator would — open/range/stream, health, repair, read again —
 * and check the recovery invariants. Runs inside a child process, so a signal is caught by the parent.
 */

export const FEED = 'trades';
export const RECORDS = 35;

/** The files a trial may damage, relative to the base. */
export function templateFiles(template: string): string[] {
  const feedDir = join('feeds', FEED);
  const inFeed = readdirSync(join(template, feedDir)).filter((n) => n !== 'writer.lock');
  return ['feeds.reg', ...inFeed.map((n) => join(feedDir, n))].sort();
}

export function makeTemplate(dir: string): void {
  const platform = new Platform(dir, { logger: false });
  try {
    platform.createFeed({
      feedName: FEED,
      fields: TRADE_FIELDS,
      tsCol: 'timestamp_us',
      chunkSizeBytes: CHUNK_BYTES,
      retentionHours: 0,
      mode: 'IF', // index-*.dwi files too: they are damaged like every other file
    });
    const writer = platform.createWriter(FEED);
    for (let i = 0; i < RECORDS; i++) writer.writeValues(i, 1, 1_700_000_000_000_000 + i * 1e6);
    writer.close();
  } finally {
    platform.close();
  }
}

export interface Corruption {
  /** Index into templateFiles(). */
  file: number;
  /** Fraction of the file length where the damage starts. */
  at: number;
  /** Or a byte offset (clamped to the file): aims at the format 2 header fields and checksums. */
  offset?: number;
  length: number;
  kind: 'random' | 'zero' | 'ones' | 'truncate' | 'bitflip';
  seed: number;
}

export interface TrialResult {
  target: string;
  offset: number;
  kind: Corruption['kind'];
  /** Broken promises; empty when the trial held every invariant. */
  violations: string[];
  repairRemaining: number;
  quarantined: number;
  /** Errors thrown by a phase: code or constructor name, and message. */
  errors: string[];
}

const RAW_ERRORS =
  /Offset is outside the bounds|Invalid atomic access index|byte length of Int32Array|Invalid typed array length/;

function damage(path: string, corruption: Corruption): { offset: number; end: number } {
  const bytes = readFileSync(path);
  const offset = Math.min(bytes.length, corruption.offset ?? Math.floor(corruption.at * bytes.length));
  if (corruption.kind === 'truncate') {
    truncateSync(path, offset);
    return { offset, end: Number.POSITIVE_INFINITY };
  }
  const end = Math.min(bytes.length, offset + corruption.length);
  let state = corruption.seed >>> 0 || 1;
  for (let i = offset; i < end; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    if (corruption.kind === 'random') bytes[i] = state >>> 24;
    else if (corruption.kind === 'zero') bytes[i] = 0;
    else if (corruption.kind === 'ones') bytes[i] = 0xff;
    else bytes[i] ^= 1 << (state >>> 29);
  }
  writeFileSync(path, bytes);
  return { offset, end };
}

const CHUNK_NAME = /chunk-(\d{10})\.dat$/;

function readRange(base: string): string[] {
  const platform = new Platform(base, { logger: false });
  try {
    const reader = platform.createReader(FEED);
    return (reader.range(0, Number.MAX_SAFE_INTEGER) as unknown[]).map((r) => JSON.stringify(r));
  } finally {
    platform.close();
  }
}

function readStream(base: string): string[] {
  const platform = new Platform(base, { logger: false });
  try {
    const stream = platform.createReader(FEED).stream({ start: 0 });
    const out: string[] = [];
    for (let r = stream.tryNext(); r !== undefined && out.length < 10 * RECORDS; r = stream.tryNext()) {
      out.push(JSON.stringify(r));
    }
    stream.close();
    return out;
  } finally {
    platform.close();
  }
}

export function runTrial(template: string, work: string, corruption: Corruption): TrialResult {
  rmSync(work, { recursive: true, force: true });
  cpSync(template, work, { recursive: true });
  const files = templateFiles(template);
  const target = files[corruption.file % files.length];
  const expected = readRange(template);
  const { offset, end } = damage(join(work, target), corruption);
  const result: TrialResult = {
    target,
    offset,
    kind: corruption.kind,
    violations: [],
    repairRemaining: -1,
    quarantined: 0,
    errors: [],
  };
  const attempt = (phase: string, fn: () => unknown): unknown => {
    try {
      return fn();
    } catch (error) {
      const e = error as { code?: string; message?: string; name?: string };
      result.errors.push(`${phase}: ${e.code ?? e.name}: ${e.message}`);
      if (RAW_ERRORS.test(e.message ?? ''))
        result.violations.push(`${phase} threw a raw error: ${e.message}`);
      if (e.code === undefined && !(error instanceof Error))
        result.violations.push(`${phase} threw a non-Error`);
      return undefined;
    }
  };

  // Records the damage itself destroyed (overlapping bytes of a chunk's record area) are excused.
  const chunkMatch = CHUNK_NAME.exec(target);
  const damagedChunk = chunkMatch ? Number(chunkMatch[1]) : 0;
  const excused = new Set<string>();
  if (damagedChunk > 0) {
    const perChunk = CHUNK_BYTES / RECORD_SIZE;
    for (let i = 0; i < perChunk; i++) {
      const start = DATA_OFFSET + i * RECORD_SIZE;
      const record = expected[(damagedChunk - 1) * perChunk + i];
      if (record !== undefined && start < end && start + RECORD_SIZE > offset) excused.add(record);
    }
  }

  attempt('range before repair', () => readRange(work));
  attempt('stream before repair', () => readStream(work));
  attempt('health', () => checkHealth(work, { checkFeeds: true, minFreeGb: 0, maxAgeSeconds: 1e12 }));
  attempt('repair --dry-run', () => runRepair(work, { dryRun: true }));
  const report = attempt('repair', () => runRepair(work)) as ReturnType<typeof runRepair> | undefined;
  if (report === undefined) {
    result.violations.push('repair threw');
    return result;
  }
  result.repairRemaining = report.remaining;
  const quarantinedChunks = new Set<number>();
  for (const feed of report.feeds) {
    for (const path of feed.quarantined) {
      result.quarantined++;
      const m = /chunk-(\d{10})\.dat\./.exec(path);
      if (m) quarantinedChunks.add(Number(m[1]));
    }
  }
  const perChunk = CHUNK_BYTES / RECORD_SIZE;
  const mustRead = expected.filter(
    (r, i) => !excused.has(r) && !quarantinedChunks.has(Math.floor(i / perChunk) + 1),
  );
  if (report.remaining > 0) {
    // Problems left (e.g. feed.json unreadable): every one must be an error the operator sees, and
    // no chunk file may have lost its bytes.
    const errors = report.feeds.flatMap((f) => f.problems).filter((p) => !p.fixed && p.severity === 'error');
    if (errors.length === 0) result.violations.push('repair left problems but none of error severity');
    checkChunkBytes(template, work, quarantinedChunks, damagedChunk, result);
    return result;
  }
  const after = attempt('range after repair', () => readRange(work)) as string[] | undefined;
  const streamed = attempt('stream after repair', () => readStream(work)) as string[] | undefined;
  for (const [name, got] of [
    ['range', after],
    ['stream', streamed],
  ] as const) {
    if (got === undefined) {
      result.violations.push(`${name} after a clean repair threw`);
      continue;
    }
    const present = new Set(got);
    const missing = mustRead.filter((r) => !present.has(r));
    if (missing.length === 0) continue;
    result.violations.push(
      `${name} after repair misses ${missing.length} intact record(s), e.g. ${missing[0]}`,
    );
  }
  checkChunkBytes(template, work, quarantinedChunks, damagedChunk, result);
  const again = attempt('second repair', () => runRepair(work, { dryRun: true })) as
    | ReturnType<typeof runRepair>
    | undefined;
  if (again !== undefined && again.problems > 0) {
    result.violations.push(
      `a second repair still finds ${again.problems} problem(s): ${again.feeds
        .flatMap((f) => f.problems)
        .map((p) => p.kind)
        .join(', ')}`,
    );
  }
  return result;
}

/** Every undamaged chunk's record bytes are still in its file (or in its quarantined copy). */
function checkChunkBytes(
  template: string,
  work: string,
  quarantined: Set<number>,
  damaged: number,
  result: TrialResult,
): void {
  const feedDir = join('feeds', FEED);
  for (const name of readdirSync(join(template, feedDir))) {
    const m = CHUNK_NAME.exec(name);
    if (!m || Number(m[1]) === damaged) continue;
    const original = readFileSync(join(template, feedDir, name)).subarray(DATA_OFFSET);
    const candidates = [name, ...readdirSync(join(work, feedDir)).filter((n) => n.startsWith(`${name}.`))];
    const intact = candidates.some((candidate) => {
      const path = join(work, feedDir, candidate);
      if (!existsSync(path) || !statSync(path).isFile()) return false;
      const bytes = readFileSync(path).subarray(DATA_OFFSET);
      return bytes.subarray(0, original.length).equals(original);
    });
    if (!intact && !quarantined.has(Number(m[1]))) result.violations.push(`${name} lost bytes of valid data`);
    else if (!intact) result.violations.push(`${name} (quarantined) lost bytes of valid data`);
  }
}
