import type { Command } from 'commander';
import type { FeedStatus } from '../../platform/feed-status.js';
import type { TimeUnit } from '../../reader/time-bound.js';
import type { RingStatus } from '../../ring/index.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { withBase } from '../open-platform.js';
import { type CommonOptions, withCommonOptions } from '../options.js';
import { formatBytes, renderTable, writeJson } from '../output.js';
import type { CommandResult } from '../program.js';
import { formatTimestamp } from '../timestamps.js';

/** One row of `deepwater feeds --json` (documented in docs/cli.md). */
export interface FeedRow {
  name: string;
  mode: string;
  persist: boolean;
  recordSize: number;
  chunkCount: number;
  records: number;
  firstTs: number | null;
  lastTs: number | null;
  tsUnit: TimeUnit;
  bytesOnDisk: number;
  retentionHours: number;
  writerPid: number | null;
  lastAppendUs: number | null;
  ring?: Record<string, unknown>;
}

export function feedRow(status: FeedStatus): FeedRow {
  // A ring keeps its counts in shared memory: records/first/last are what the ring holds now.
  const ring = status.ring as Partial<RingStatus> | undefined;
  return {
    name: status.name,
    mode: status.mode,
    persist: status.persist,
    recordSize: status.recordSize,
    chunkCount: status.chunkCount,
    records: ring?.recordsHeld ?? status.records,
    firstTs: ring ? (ring.firstTs ?? null) : status.firstTs,
    lastTs: ring ? (ring.lastTs ?? null) : status.lastTs,
    tsUnit: status.tsUnit,
    bytesOnDisk: status.bytesOnDisk,
    retentionHours: status.retentionHours,
    writerPid: status.writerPid ?? ring?.writerPid ?? null,
    lastAppendUs: status.lastAppendUs,
    ...(status.ring ? { ring: status.ring } : {}),
  };
}

export function registerFeeds(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('feeds')
    .description(
      'list feeds: mode, persistence, record size, chunks, records, time span, bytes on disk, retention, writer',
    );
  withCommonOptions(command).action(async (options: CommonOptions) => {
    const rows = await withBase(options.basePath, (platform) =>
      platform.listFeeds().map((info) => feedRow(platform.feedStatus(info.name))),
    );
    if (options.json) {
      writeJson(io.stdout, rows);
    } else if (rows.length === 0) {
      io.stdout.write('no feeds\n');
    } else {
      io.stdout.write(
        renderTable(
          [
            'name',
            'mode',
            'persist',
            'recsize',
            'chunks',
            'records',
            'first',
            'last',
            'on disk',
            'retention',
            'writer',
          ],
          rows.map((r) => [
            r.name,
            r.mode,
            r.persist ? 'disk' : 'ring',
            r.recordSize,
            r.chunkCount,
            r.records,
            formatTimestamp(r.firstTs, r.tsUnit),
            formatTimestamp(r.lastTs, r.tsUnit),
            r.ring ? `${formatBytes(Number(r.ring.bytes ?? 0))} shm` : formatBytes(r.bytesOnDisk),
            r.retentionHours === 0 ? 'forever' : `${r.retentionHours}h`,
            r.writerPid === null ? '-' : `pid ${r.writerPid}`,
          ]),
        ),
      );
    }
    result.exitCode = EXIT_OK;
  });
}
