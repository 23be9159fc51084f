// dump/tail with --from/--to on feeds whose timestamps are beyond 2^53, through the real executable
// (a child process): ns since the epoch, and a µs feed holding one record past 2^53.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../../src/index.js';
import { SDK_ROOT, spawnTs } from '../ops/helpers/child.js';
import { cli } from './run-cli.js';

const MAIN = join(SDK_ROOT, 'src/cli/main.ts');
const BASE_NS = 1_764_151_200_000_000_000n; // 2025-11-26T10:00:00Z in ns
const NS_STAMPS = [0n, 1n, 255n, 256n, 256n, 257n, 511n, 123_456_789n, 999_999_999n].map((o) => BASE_NS + o);
const MICROS = [1_764_151_200_000_000n, 1_764_151_200_000_001n, 2n ** 53n + 1n];

/** The exact ts column of jsonl lines (read as text: JSON.parse would round them). */
function jsonlStamps(stdout: string): bigint[] {
  return [...stdout.matchAll(/"ts":(-?\d+)/g)].map((m) => BigInt(m[1]));
}

async function run(args: string[]) {
  const result = await spawnTs(MAIN, args).exited;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('dump and tail with 64-bit timestamps (child process)', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'dw-test-ts64-cli-'));
    const p = new Platform(base);
    const fields = [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ];
    const chunkSizeMb = (3 * 16) / 1_048_576; // 3 records per chunk
    p.createFeed({ feedName: 'ns', fields, tsCol: 'ts', tsUnit: 'ns', chunkSizeMb });
    p.createFeed({ feedName: 'us', fields, tsCol: 'ts', chunkSizeMb });
    const ns = p.createWriter('ns');
    NS_STAMPS.forEach((ts, i) => {
      ns.writeValues(i, ts);
    });
    const us = p.createWriter('us');
    MICROS.forEach((ts, i) => {
      us.writeValues(i, ts);
    });
    p.close();
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('dumps every ns record exactly, and --from/--to select to the nanosecond', async () => {
    const all = await run(['dump', 'ns', '-b', base, '--format', 'jsonl']);
    expect(jsonlStamps(all)).toEqual(NS_STAMPS);
    const window = await run([
      'dump',
      'ns',
      '-b',
      base,
      '--format',
      'jsonl',
      '--from',
      String(BASE_NS + 256n),
      '--to',
      '2025-11-26T10:00:00.000000511Z',
    ]);
    expect(jsonlStamps(window)).toEqual(
      NS_STAMPS.filter((ts) => ts >= BASE_NS + 256n && ts < BASE_NS + 511n),
    );
    const table = await run(['dump', 'ns', '-b', base, '--from', '2025-11-26T10:00:00.123456789Z']);
    expect(table).toMatch(/2025-11-26T10:00:00\.123456789Z/);
    expect(table).toMatch(/2025-11-26T10:00:00\.999999999Z/);
    expect(table).not.toMatch(/\.000000511Z/);
  });

  it('tails the newest ns records exactly', async () => {
    const out = await run(['tail', 'ns', '-b', base, '-n', '4', '--format', 'jsonl']);
    expect(jsonlStamps(out)).toEqual(NS_STAMPS.slice(-4));
  });

  it('dumps and tails a µs feed holding a record past 2^53', async () => {
    expect(jsonlStamps(await run(['dump', 'us', '-b', base, '--format', 'jsonl']))).toEqual(MICROS);
    expect(jsonlStamps(await run(['tail', 'us', '-b', base, '-n', '1', '--format', 'jsonl']))).toEqual([
      2n ** 53n + 1n,
    ]);
  });

  it('refuses an ISO offset beyond 23:59, naming the value', async () => {
    const bad = await cli(['dump', 'ns', '-b', base, '--from', '2025-11-26T10:00:00+25:00']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "2025-11-26T10:00:00\+25:00" has an invalid zone offset \(\+25:00\)/);
  });

  it('shows the time unit in describe and feeds --json', async () => {
    expect((await cli(['describe', 'ns', '-b', base])).stdout).toMatch(
      /nanoseconds since the epoch \(tsUnit ns\)/,
    );
    const rows = JSON.parse((await cli(['feeds', '-b', base, '--json'])).stdout) as { tsUnit: string }[];
    expect(rows.map((r) => r.tsUnit)).toEqual(['ns', 'us']);
  });
});
