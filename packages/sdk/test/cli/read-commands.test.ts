import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../src/cli/timestamps.js';
import { Platform, runCleanup } from '../../src/index.js';
import {
  HOUR_US,
  secondsApart,
  type TestBase,
  TRADE_FIELDS,
  tempBase,
  writeFeed,
} from '../ops/helpers/bases.js';
import { cli } from './run-cli.js';

const NOW = Date.now() * 1000;
const TS = secondsApart(25, NOW, HOUR_US); // chunks of 10: 1-2 full, 5 records in chunk 3

describe('read commands', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, TS, { retentionHours: 12 });
  });
  afterEach(() => base.remove());

  it('feeds --json lists each feed with its documented fields', async () => {
    const run = await cli(['feeds', '--base-path', base.path, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        name: 'trades',
        mode: 'UF',
        persist: true,
        recordSize: 24,
        chunkCount: 3,
        records: 25,
        firstTs: TS[0],
        lastTs: TS[24],
        tsUnit: 'us',
        bytesOnDisk: expect.any(Number),
        retentionHours: 12,
        writerPid: null,
        lastAppendUs: expect.any(Number),
      },
    ]);
  });

  it('feeds shows the active writer pid in its table', async () => {
    const platform = new Platform(base.path);
    const writer = platform.createWriter('trades');
    try {
      const run = await cli(['feeds', '--base-path', base.path]);
      expect(run.stdout).toMatch(
        /^name +mode +persist +recsize +chunks +records +first +last +on disk +retention +writer\n/,
      );
      expect(run.stdout).toMatch(
        new RegExp(`trades +UF +disk +24 +3 +25 +${formatTimestamp(TS[0])} .* 12h +pid ${process.pid}`),
      );
    } finally {
      writer.close();
      platform.close();
    }
  });

  it('describe shows fields with offsets, the struct format and lifecycle', async () => {
    const json = JSON.parse((await cli(['describe', 'trades', '--base-path', base.path, '--json'])).stdout);
    expect(json).toMatchObject({
      name: 'trades',
      fmt: '<ddQ',
      recordSize: 24,
      tsCol: 'timestamp_us',
      tsOffset: 16,
      fields: [
        { name: 'price', type: 'float64', offset: 0, size: 8 },
        { name: 'size', type: 'float64', offset: 8, size: 8 },
        { name: 'timestamp_us', type: 'uint64', offset: 16, size: 8 },
      ],
      lifecycle: { chunkSizeBytes: 240, retentionHours: 12, persist: true, mode: 'UF' },
    });
    const text = (await cli(['describe', 'trades', '--base-path', base.path])).stdout;
    expect(text).toMatch(/record +24 bytes, struct format <ddQ/);
    expect(text).toMatch(/ +16 +8 +uint64 +timestamp_us \(timestamp\)/);
  });

  it('dump reads [from, to) given as µs or ISO-8601, across chunk boundaries', async () => {
    const run = await cli([
      'dump',
      'trades',
      '--base-path',
      base.path,
      '--from',
      String(TS[8]),
      '--to',
      formatTimestamp(TS[21]),
      '--format',
      'jsonl',
    ]);
    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.price)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(rows[0]).toEqual({ price: 8, size: 1, timestamp_us: TS[8] });
  });

  it('dump --limit and csv keep raw µs; the table shows ISO time', async () => {
    const csv = await cli(['dump', 'trades', '--base-path', base.path, '--limit', '2', '--format', 'csv']);
    expect(csv.stdout).toBe(`price,size,timestamp_us\n0,1,${TS[0]}\n1,1,${TS[1]}\n`);
    const table = await cli(['dump', 'trades', '--base-path', base.path, '--limit', '1']);
    expect(table.stdout).toBe(`price  size  timestamp_us\n0      1     ${formatTimestamp(TS[0])}\n`);
  });

  it('dump prints only the header when nothing matches', async () => {
    const run = await cli(['dump', 'trades', '--base-path', base.path, '--from', 'now', '--format', 'csv']);
    expect(run.stdout).toBe('price,size,timestamp_us\n');
  });

  it('dump never repeats or drops records that share a timestamp across a chunk boundary', async () => {
    const same = tempBase();
    const ts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 10, 11].map((s) => NOW + s);
    writeFeed(same.path, ts); // the run of 9s straddles chunks 1 and 2
    const run = await cli(['dump', 'trades', '--base-path', same.path, '--format', 'jsonl']);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).price),
    ).toEqual([...ts.keys()]);
    same.remove();
  });

  it('tail -n prints the newest records', async () => {
    const run = await cli(['tail', 'trades', '--base-path', base.path, '-n', '12', '--format', 'jsonl']);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).price),
    ).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('dump and tail --from-seq start at a seq; --with-seq adds a leading $seq column or key', async () => {
    // Record i has price i and seq i.
    const dump = await cli([
      'dump',
      'trades',
      '-b',
      base.path,
      '--from-seq',
      '8',
      '--limit',
      '4',
      '--with-seq',
      '--format',
      'jsonl',
    ]);
    expect(dump.code).toBe(0);
    const lines = dump.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.$seq, l.price])).toEqual([
      [8, 8],
      [9, 9],
      [10, 10],
      [11, 11],
    ]);
    expect(Object.keys(lines[0])[0]).toBe('$seq');
    const csv = await cli([
      'dump',
      'trades',
      '-b',
      base.path,
      '--from-seq',
      '23',
      '--with-seq',
      '--format',
      'csv',
    ]);
    expect(csv.stdout).toBe(`$seq,price,size,timestamp_us\n23,23,1,${TS[23]}\n24,24,1,${TS[24]}\n`);
    const tail = await cli([
      'tail',
      'trades',
      '-b',
      base.path,
      '--from-seq',
      '20',
      '--with-seq',
      '--format',
      'csv',
    ]);
    expect(
      tail.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['20', '21', '22', '23', '24']);
    const table = await cli(['tail', 'trades', '-b', base.path, '-n', '2', '--with-seq']);
    expect(table.stdout).toMatch(/^\$seq +price +size +timestamp_us\n23 +23 +1 .*\n24 +24 +1 /);
    const both = await cli(['dump', 'trades', '-b', base.path, '--from', '0', '--from-seq', '3']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--from and --from-seq/);
  });

  it('dump and tail --from-seq before the oldest record held say on stderr how many are gone', async () => {
    // Retention removes the first chunk(s): their seqs stay counted, their records are gone.
    runCleanup(base.path, { nowUs: NOW + 12 * HOUR_US + TS.length * 1e6 - 15e6 });
    const platform = new Platform(base.path);
    const oldest = platform.createReader('trades').seqAt(0);
    platform.close();
    expect(oldest).toBeGreaterThan(0);
    const args = ['-b', base.path, '--from-seq', '0', '--with-seq', '--format', 'csv'];
    for (const command of ['dump', 'tail']) {
      const run = await cli([command, 'trades', ...args]);
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[1]).toMatch(new RegExp(`^${oldest},`));
      expect(run.stderr).toBe(
        `deepwater ${command}: feed "trades": ${oldest} record(s) in the requested range are no longer held ` +
          '(removed by retention, or overwritten in the ring) and are not in the output\n',
      );
    }
    // From a seq still held: nothing to report.
    expect((await cli(['dump', 'trades', '-b', base.path, '--from-seq', String(oldest)])).stderr).toBe('');
  });

  it('rejects bad input with exit 2 and a message naming it', async () => {
    const cases: [string[], RegExp][] = [
      [['dump', 'quotes'], /Feed "quotes" not found/],
      [['dump', 'trades', '--from', 'yesterday'], /--from "yesterday" is not a timestamp/],
      [['dump', 'trades', '--format', 'xml'], /--format "xml" is not one of table, csv, jsonl/],
      [['dump', 'trades', '--from', 'now', '--to', 'now-1h'], /--to \(now-1h\) is before --from \(now\)/],
      [['tail', 'trades', '-n', '-3'], /-n expects an integer >= 0, got "-3"/],
      [['describe'], /missing required argument 'feed'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const run = await cli([...args, '--base-path', base.path]);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
    }
  });

  it('never creates a base that does not exist', async () => {
    const missing = join(base.path, 'typo');
    for (const args of [['feeds'], ['describe', 'x'], ['dump', 'x'], ['tail', 'x']]) {
      const run = await cli([...args, '--base-path', missing]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/does not exist/);
    }
    expect(existsSync(missing)).toBe(false);
  });
});

describe('tail --follow', () => {
  const T = NOW - 10e6;
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
    writeFeed(base.path, [T, T, T, T, T]); // the shown records share their timestamp with older ones
  });
  afterEach(() => base.remove());

  it('prints the newest records, then every new one exactly once, until interrupted', async () => {
    const platform = new Platform(base.path);
    platform.createFeed({
      feedName: 'trades',
      fields: TRADE_FIELDS,
      tsCol: 'timestamp_us',
      chunkSizeBytes: 240,
    });
    const writer = platform.createWriter('trades');
    let stdout = '';
    let stop!: () => void;
    const interrupted = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const { runCli } = await import('../../src/cli/program.js');
    const done = runCli(
      ['tail', 'trades', '--base-path', base.path, '-n', '2', '--follow', '--format', 'jsonl'],
      {
        stdout: {
          write: (t: string) => {
            stdout += t;
          },
        },
        stderr: { write: () => true },
        env: {},
        nowMicros: () => NOW,
        waitForInterrupt: () => interrupted,
      },
    );
    const prices = () =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).price);
    const until = async (n: number) => {
      for (let i = 0; i < 500 && prices().length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(2);
    // Same timestamp as the shown records, then newer ones across a chunk rotation.
    writer.writeValues(100, 1, T);
    for (let i = 0; i < 12; i++) writer.writeValues(101 + i, 1, NOW + i);
    await until(15);
    stop();
    expect(await done).toBe(0);
    expect(prices()).toEqual([3, 4, 100, ...Array.from({ length: 12 }, (_, i) => 101 + i)]);
    writer.close();
    platform.close();
  });
});
