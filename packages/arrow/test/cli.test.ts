// deepwater-arrow as an operator runs it: every export option, a progress bar on a terminal only,
// ISO and integer time bounds, one line and exit 2 for each mistake, no base made by a typo in -b.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@deepwater/sdk';
import { describe, expect, it } from 'vitest';
import { runArrowCli } from '../src/index.js';
import { duckdbRows, useBase } from './helpers.js';

const t = useBase();
const T0_MS = Date.parse('2026-12-01T00:00:00Z');

/** A feed of one record a second for 100 s, timestamps in ms. */
function trades(p: Platform): void {
  p.createFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'int64' },
    ],
    tsCol: 'ts',
    tsUnit: 'ms',
  });
  const w = p.createWriter('trades');
  for (let i = 0; i < 100; i++) w.writeValues(100 + i, T0_MS + i * 1000);
  w.close();
}

async function cli(args: string[], tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runArrowCli(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
  });
  return { code, stdout, stderr };
}

describe('deepwater-arrow export', () => {
  it('draws a progress bar on a terminal only', async () => {
    trades(t.open());
    const out = join(t.dir(), 'a.arrow');
    const args = ['export', 'trades', '--format', 'arrow', '--out', out, '-b', t.dir(), '--batch-size', '10'];
    const piped = await cli(args);
    expect(piped).toMatchObject({ code: 0, stderr: '' });
    expect(piped.stdout).toMatch(
      /^exported 100 records of "trades" to .*a\.arrow \(\d+ bytes, arrow\) in [\d.]+ s\n$/,
    );
    const terminal = await cli(args, true);
    expect(terminal.code).toBe(0);
    expect(terminal.stderr).toContain('export trades [');
    expect(terminal.stderr).toContain('100% | 100 records');
    // A failed export stops the bar too: it hid the terminal's cursor, which must come back.
    const failed = await cli(
      ['export', 'trades', '--format', 'csv', '--out', join(t.dir(), 'no-dir', 'x.csv'), '-b', t.dir()],
      true,
    );
    expect(failed.code).toBe(2);
    const hidden = failed.stderr.indexOf('\x1b[?25l');
    const shown = failed.stderr.lastIndexOf('\x1b[?25h');
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(shown).toBeGreaterThan(hidden);
    expect(failed.stderr.indexOf('deepwater-arrow: ENOENT')).toBeGreaterThan(shown);
  });

  it('takes --from/--to as integers in the feed unit or ISO dates, [from, to)', async () => {
    trades(t.open());
    const out = join(t.dir(), 'r.csv');
    const run = (from: string, to: string) =>
      cli(['export', 'trades', '--format', 'csv', '--out', out, '--from', from, '--to', to, '-b', t.dir()]);
    expect((await run('2026-12-01T00:00:10Z', '2026-12-01T00:00:13Z')).stdout).toContain(
      'exported 3 records',
    );
    expect(readFileSync(out, 'utf8')).toBe(
      `price,ts\n110,${T0_MS + 10_000}\n111,${T0_MS + 11_000}\n112,${T0_MS + 12_000}\n`,
    );
    expect((await run(String(T0_MS + 98_000), String(T0_MS + 200_000))).stdout).toContain(
      'exported 2 records',
    );
    // An empty range is a valid file of no records.
    expect((await run('2020-01-01', '2020-01-02')).stdout).toContain('exported 0 records');
    expect(readFileSync(out, 'utf8')).toBe('price,ts\n');
    const bad = await run('yesterday', '2026-12-02');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "yesterday" is not a timestamp: use milliseconds since the epoch/);
    const badDay = await run('2026-02-30', '2026-12-02');
    expect(badDay.stderr).toMatch(/--from "2026-02-30" names a day that does not exist/);
  });

  it('reads --from/--to exactly as deepwater dump does: UTC unless zoned, finer digits rounded up', async () => {
    trades(t.open());
    const out = join(t.dir(), 'r.csv');
    const count = async (from: string, to: string) => {
      const run = await cli([
        'export',
        'trades',
        '--format',
        'csv',
        '--out',
        out,
        '--from',
        from,
        '--to',
        to,
        '-b',
        t.dir(),
      ]);
      expect(run.stderr).toBe('');
      return readFileSync(out, 'utf8').trimEnd().split('\n').length - 1;
    };
    // 10.0000001 s is after the record at 10 s: [10.0000001, 13) holds 11 and 12 (a bound cut to
    // whole milliseconds would take 10 too).
    expect(await count('2026-12-01T00:00:10.0000001Z', '2026-12-01T00:00:13Z')).toBe(2);
    expect(await count('2026-12-01T00:00:10Z', '2026-12-01T00:00:12.000000001Z')).toBe(3);
    expect(await count('2026-12-01T01:00:10+01:00', '2026-12-01T01:00:13+01:00')).toBe(3);
    // Without a zone: UTC whatever the machine's zone (the same instant on every host).
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(await count('2026-12-01T00:00:10', '2026-12-01 00:00:13')).toBe(3);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('writes Parquet with the compression and row group size asked (zstd by default)', async () => {
    trades(t.open());
    const codecs: Record<string, string> = {};
    for (const compression of [undefined, 'zstd', 'snappy', 'none']) {
      const out = join(t.dir(), `${compression ?? 'default'}.parquet`);
      const args = [
        'export',
        'trades',
        '--format',
        'parquet',
        '--out',
        out,
        '--row-group-size',
        '30',
        '-b',
        t.dir(),
      ];
      const run = await cli(compression === undefined ? args : [...args, '--compression', compression]);
      expect(run.code, run.stderr).toBe(0);
      const meta = await duckdbRows(
        `SELECT row_group_id::INTEGER AS g, compression FROM parquet_metadata('${out}') WHERE path_in_schema = 'price' ORDER BY 1`,
      );
      expect(meta.map((m) => m.g)).toEqual([0, 1, 2, 3]); // 100 rows in groups of 30
      codecs[compression ?? 'default'] = String(meta[0].compression);
    }
    expect(codecs).toEqual({ default: 'ZSTD', zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' });
  });

  it('refuses a mistake with one line and exit 2, and never creates a base for a typo in -b', async () => {
    trades(t.open());
    const missing = join(t.dir(), 'no-such-base');
    writeFileSync(join(t.dir(), 'trades.csv'), 'price,ts\n1,1\n');
    const cases: [string[], RegExp][] = [
      [
        ['export', 'trades', '--format', 'csv', '--out', 'x.csv', '-b', missing],
        /base path .*no-such-base does not exist/,
      ],
      [
        ['export', 'nope', '--format', 'csv', '--out', join(t.dir(), 'x.csv'), '-b', t.dir()],
        /Feed "nope" not found/,
      ],
      [
        ['export', 'trades', '--format', 'xlsx', '--out', 'x', '-b', t.dir()],
        /--format must be one of parquet, arrow, csv/,
      ],
      [
        ['export', 'trades', '--format', 'parquet', '--compression', 'lz4', '--out', 'x', '-b', t.dir()],
        /--compression must be one of zstd, snappy, none/,
      ],
      [
        ['export', 'trades', '--format', 'parquet', '--row-group-size', '0', '--out', 'x', '-b', t.dir()],
        /--row-group-size must be an integer >= 1/,
      ],
      [
        ['import', join(t.dir(), 'trades.csv'), '--feed', 'trades', '-b', missing],
        /base path .*no-such-base does not exist/,
      ],
      [
        ['import', join(t.dir(), 'none.parquet'), '--feed', 'trades', '-b', t.dir()],
        /none\.parquet: it does not exist; nothing was written/,
      ],
      [['import', t.dir(), '--feed', 'trades', '-b', t.dir()], /it is a directory/],
      [
        ['import', '/dev/null', '--feed', 'trades', '-b', t.dir()],
        /\/dev\/null: it is a pipe or device, read only once: name its format/,
      ],
      [
        ['export', 'trades', '--format', 'parquet', '--out', t.dir(), '-b', t.dir()],
        /--out .* is a directory: name the file to write/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0], args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(t.dir(), 'x.csv'))).toBe(false);
  });
});

describe('deepwater-arrow import', () => {
  it('--create makes the feed (and the base, when asked for a new one) from the file', async () => {
    trades(t.open());
    const file = join(t.dir(), 'trades.parquet');
    expect((await cli(['export', 'trades', '--format', 'parquet', '--out', file, '-b', t.dir()])).code).toBe(
      0,
    );
    const fresh = join(t.dir(), 'fresh-base');
    const run = await cli(['import', file, '--feed', 'copy', '--create', '-b', fresh]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^imported 100 records into "copy" \(created\) in [\d.]+ s\n$/);
    expect(existsSync(join(fresh, 'manifest.json'))).toBe(true);
  });
});
