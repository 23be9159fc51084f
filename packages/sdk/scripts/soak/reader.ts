// Soak reader child: follows the feed from its first record to the writer's END record with one
// read API, checking every seq arrives exactly once and in order; reports counts to the parent.
// Usage: node --import tsx reader.ts <base> <role> <rate>
//   sync-stream   for (const rec of stream())          spins on a live stream (started before the writer)
//   async-stream  for await (const rec of stream({ start: 0 }))
//   poller        readAvailable({ format: 'columnar' }) every millisecond
//   slow          for await over stream({ start: 0 }), sleeping between batches (reads ~half the
//                 write rate, so it falls many chunks behind) until the parent says "drain"
import { setTimeout as sleep } from 'node:timers/promises';
import { Platform } from '../../src/index.js';
import { FEED } from './feed.js';
import { exitOnUncaught, onCommand, type ReaderRole, reportFatal, send } from './protocol.js';
import { SequenceCheck } from './sequence-check.js';

const PROGRESS_MS = 1000;
/** The slow reader sleeps this long after each batch. */
const SLOW_SLEEP_MS = 200;

const [base, roleArg, rateArg] = process.argv.slice(2);
const role = roleArg as ReaderRole;
const rate = Number(rateArg);
exitOnUncaught();

// The sync reader's thread spins, so it notices a vanished parent by its ppid changing instead.
if (role !== 'sync-stream') onCommand(role === 'slow' ? onSlowCommand : undefined);
const parentPid = process.ppid;
let draining = false;
function onSlowCommand(command: string): void {
  if (command === 'drain') draining = true;
}

const platform = new Platform(base);
const reader = platform.createReader(FEED);
const check = new SequenceCheck();
let lastProgress = 0;

/** Sends progress at most once per PROGRESS_MS; cheap enough to call per record. */
function maybeProgress(): void {
  const now = Date.now();
  if (now - lastProgress < PROGRESS_MS) return;
  lastProgress = now;
  if (process.ppid !== parentPid) process.exit(1);
  const r = check.report;
  send({ type: 'progress', role, received: r.received, lastSeq: r.lastSeq, anomalies: check.anomalyCount });
}

function finish(): never {
  send({ type: 'done', role, report: check.report });
  platform.close();
  process.exit(0);
}

/** A tuple record: [seq, timestamp_us, gen, flags, check]. */
function acceptTuple(rec: unknown[]): boolean {
  return check.accept(rec[0] as number, rec[1] as number, rec[3] as number, rec[4] as number);
}

function runSyncStream(): void {
  const stream = reader.stream(); // live only: begun before the writer, so it starts at seq 0
  send({ type: 'ready', role });
  let n = 0;
  for (const rec of stream) {
    if (acceptTuple(rec)) break;
    if ((++n & 4095) === 0) maybeProgress();
  }
  finish();
}

async function runAsyncStream(): Promise<void> {
  const stream = reader.stream({ start: 0 });
  send({ type: 'ready', role });
  for await (const rec of stream) {
    if (acceptTuple(rec)) break;
    maybeProgress();
  }
  finish();
}

async function runPoller(): Promise<void> {
  reader.readAvailable(); // the first call positions the cursor at the live head (the empty feed's start)
  send({ type: 'ready', role });
  for (;;) {
    const cols = reader.readAvailable({ format: 'columnar', maxRecords: 8192 });
    const seqs = cols.seq as unknown as ArrayLike<number | bigint>;
    const stamps = cols.timestamp_us as unknown as ArrayLike<number | bigint>;
    const flags = cols.flags as unknown as ArrayLike<number>;
    const checks = cols.check as unknown as ArrayLike<number>;
    for (let i = 0; i < seqs.length; i++) {
      if (check.accept(Number(seqs[i]), Number(stamps[i]), flags[i], checks[i])) finish();
    }
    maybeProgress();
    if (seqs.length === 0) await sleep(1);
  }
}

async function runSlow(): Promise<void> {
  const batch = Math.max(50, Math.round(rate / 10));
  const stream = reader.stream({ start: 0, format: 'object' });
  send({ type: 'ready', role });
  let n = 0;
  for await (const rec of stream) {
    if (check.accept(Number(rec.seq), Number(rec.timestamp_us), Number(rec.flags), Number(rec.check))) break;
    maybeProgress();
    if (++n % batch === 0 && !draining) await sleep(SLOW_SLEEP_MS);
  }
  finish();
}

try {
  if (role === 'sync-stream') runSyncStream();
  else if (role === 'async-stream') await runAsyncStream();
  else if (role === 'poller') await runPoller();
  else if (role === 'slow') await runSlow();
  else throw new Error(`unknown reader role "${roleArg}"`);
} catch (error) {
  reportFatal(error);
}
