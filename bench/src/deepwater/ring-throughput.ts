/**
 * Ring sustained throughput with one and with four readers:
 *
 *   writer (cpu 0) ──writeBatch flat out──▶ /dev/shm ring ──readAvailable(raw)──▶ reader × N (cpu 1, 0, 1, 0)
 *
 * The row's rate is the writer's sustained rate; a reader "keeps up" when it lost nothing.
 * With four readers on two cores, readers share cores with the writer: the figure shows it.
 */
import { REDIS_PIPELINED_ROW_ID } from '../baselines/redis-streams.js';
import { BenchChild } from '../core/child.js';
import { monoNowInParent } from '../core/clock.js';
import type { ResultRow } from '../core/result.js';
import type { Scenario, ScenarioContext } from '../core/scenario.js';
import { messageOf } from './sdk-contract.js';

interface ReaderResult {
  received: number;
  lostRecords: number;
  rate: number;
}

export const ringThroughput: Scenario = {
  id: 'dw.throughput.ring',
  title: 'Deepwater ring sustained throughput',
  async run(context) {
    const base = context.tempDir('ring-throughput');
    const rows: ResultRow[] = [];
    for (const readers of [1, 4]) {
      const row: ResultRow = {
        id: `throughput.ring.${readers}-reader${readers > 1 ? 's' : ''}`,
        section: 'Deepwater ring sustained throughput (24-byte records, writeBatch ×1000)',
        label: `writer rate with ${readers} reader${readers > 1 ? 's' : ''} (readAvailable raw)`,
        compare: { redis: REDIS_PIPELINED_ROW_ID },
      };
      try {
        const reps: number[] = [];
        let lost = 0;
        let received = 0;
        let written = 0;
        for (let rep = 0; rep < context.profile.heavyReps; rep++) {
          const run = await measureOnce(context, base, `tp-${readers}-${rep}`, readers);
          reps.push(run.rate);
          written += run.written;
          for (const reader of run.readers) {
            lost += reader.lostRecords;
            received += reader.received;
          }
        }
        row.metric = { kind: 'rate', reps, bytesPerRecord: 24 };
        row.lostRecords = lost;
        const perReader = received / readers / context.profile.heavyReps;
        row.note =
          `each reader received ${(perReader / 1e6).toFixed(1)}M of ${(written / context.profile.heavyReps / 1e6).toFixed(1)}M written per run` +
          (lost > 0 ? `; ${lost} lost to overrun (did not keep up)` : '; none lost (kept up)');
      } catch (error) {
        row.unavailable = messageOf(error);
      }
      rows.push(row);
    }
    return rows;
  },
};

async function measureOnce(context: ScenarioContext, base: string, feedName: string, readerCount: number) {
  const seconds = context.profile.ringThroughputSeconds;
  const timeoutMs = 60_000 + seconds * 10_000;
  const writer = new BenchChild('dw-ring-writer.js', { base, feedName }, context.pinning, {
    cpu: 0,
    timeoutMs,
  });
  const readers: BenchChild[] = [];
  try {
    await writer.waitFor('ready');
    for (let i = 0; i < readerCount; i++) {
      readers.push(
        new BenchChild('dw-ring-reader.js', { base, feedName }, context.pinning, {
          cpu: (i + 1) % 2,
          timeoutMs,
        }),
      );
    }
    await Promise.all(readers.map((reader) => reader.waitFor('ready')));
    const startAt = monoNowInParent() + 100_000_000;
    const endAt = startAt + seconds * 1e9;
    writer.send({ type: 'go', startAt, endAt });
    for (const reader of readers) reader.send({ type: 'go', startAt, drainUntil: endAt + 300_000_000 });
    const sent = await writer.waitFor<{ type: string; written: number; rate: number }>('sent');
    const results = await Promise.all(readers.map((reader) => reader.result<ReaderResult>()));
    writer.send({ type: 'finish' });
    await writer.result();
    return { rate: sent.rate, written: sent.written, readers: results };
  } finally {
    for (const reader of readers) reader.kill();
    writer.kill();
  }
}
