import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepwaterError, Platform } from '@deepwater/sdk';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, BaseNotFoundError, openPlatformSource, type PlatformSource } from '../src/index.js';
import { startSlowReader, startWriter, stopWriter } from './fixtures/child-writer.js';
import { KEYS, waitForFrame } from './fixtures/frames.js';

let base: string;
let writers: ChildProcess[] = [];
let source: PlatformSource | null = null;
let unmount: (() => void) | null = null;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dw-test-tui-'));
});

afterEach(async () => {
  unmount?.();
  unmount = null;
  source?.close();
  source = null;
  await Promise.all(writers.map((w) => stopWriter(w, 'SIGKILL')));
  writers = [];
  if (existsSync(join(base, 'manifest.json'))) {
    // deleteFeed also unlinks a ring feed's /dev/shm object.
    const p = new Platform(base);
    for (const feed of p.listFeeds()) p.deleteFeed(feed.name, { missingOk: true });
    p.close();
  }
  rmSync(base, { recursive: true, force: true });
});

function createEmptyBase(): void {
  new Platform(base).close();
}

async function show(options: { liveSeconds?: number; columns?: number } = {}) {
  source = await openPlatformSource(base);
  const instance = render(
    <App
      source={source}
      pollIntervalMs={100}
      recordsIntervalMs={200}
      thresholds={{ liveSeconds: options.liveSeconds ?? 5, maxAgeSeconds: 300 }}
      size={{ columns: options.columns ?? 100, rows: 24 }}
    />,
  );
  unmount = instance.unmount;
  return instance;
}

const row = (frame: string, feed: string) => frame.split('\n').find((l) => l.includes(` ${feed} `)) ?? '';

describe('a missing base', () => {
  it('is refused with a clear error, and the dashboard does not create it', async () => {
    const missing = join(base, 'nope');
    await expect(openPlatformSource(missing)).rejects.toThrow(BaseNotFoundError);
    await expect(openPlatformSource(missing)).rejects.toThrow(`No Deepwater base at ${missing}`);
    // One error family: the dashboard's refusal is a DeepwaterError with a stable code too.
    await expect(openPlatformSource(missing)).rejects.toThrow(DeepwaterError);
    await expect(openPlatformSource(missing)).rejects.toMatchObject({
      code: 'ERR_BASE_NOT_FOUND',
      path: missing,
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('is refused when the directory exists but holds no manifest', async () => {
    await expect(openPlatformSource(base)).rejects.toThrow('it has no manifest.json');
    expect(existsSync(join(base, 'manifest.json'))).toBe(false);
  });
});

// Child processes start slowly on a loaded 2-core machine: generous limits, never timing assertions.
describe('a real base', { timeout: 60_000 }, () => {
  it('shows an empty base as EMPTY with an explanation', async () => {
    createEmptyBase();
    const { lastFrame, stdin } = await show();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('No feeds'));
    expect(frame).toContain('0 feeds │ EMPTY');
    expect(frame).toContain(base.slice(-12));
    expect(frame).toMatch(/Storage: free \S+ \S+\/\S+ \S+ │ feeds — │ oldest —/);
    stdin.write('?');
    await waitForFrame(lastFrame, (f) => f.includes('Feed states') && f.includes('0 feeds │ EMPTY'));
  });

  it('shows a feed written by another process as LIVE with a non-zero rate and its writer pid', async () => {
    createEmptyBase();
    const writer = await startWriter(base, 'trades', ['--rate', '20000']);
    writers.push(writer);
    const { lastFrame } = await show({ columns: 120 });
    // The sparkline needs a full second of samples, so wait for it as well as the rate.
    const frame = await waitForFrame(lastFrame, (f) => /trades\s+LIVE\s+\d[\d.]* k\/s.*[▁▂▃▄▅▆▇█]/.test(f));
    const line = row(frame, 'trades');
    expect(line).toContain(String(writer.pid));
    expect(line).toMatch(/[\d.]+ kB\/s/);
    expect(line).toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(frame).toContain('1 feed │ OK');
    expect(frame).toMatch(/Storage: free \S+ \S+\/\S+ \S+ │ feeds \S+ \S+ │ oldest/);
  });

  it('shows a ring feed (persist: false) with its rate, fill and wrap count from the ring header', async () => {
    createEmptyBase();
    const writer = await startWriter(base, 'book', ['--persist', 'false', '--rate', '20000']);
    writers.push(writer);
    const { lastFrame, stdin } = await show({ columns: 180 });
    // 0.25 MiB of 24-byte slots wraps within a second at 20 k/s.
    const frame = await waitForFrame(lastFrame, (f) =>
      // fill, readers (none), max lag (none), lost, wraps
      /book\s+LIVE\s+\d[\d.]* k\/s.*100%\s+0\s+—\s+0\s+[1-9]/.test(f),
    );
    expect(row(frame, 'book')).toContain(String(writer.pid));
    stdin.write(KEYS.enter);
    const detail = await waitForFrame(
      lastFrame,
      (f) => f.includes('Latest records') && /\d\d:\d\d:\d\d\.\d{6}/.test(f),
    );
    expect(detail).toMatch(/^book\s+LIVE\s+ring/m);
    expect(detail).toMatch(/ring [\d.]+ k records \([\d.]+ kB shm\) · fill 100% · wraps [1-9]/);
  });

  it('shows a slow ring reader in another process lagging and losing records, in 80 columns', async () => {
    createEmptyBase();
    const writer = await startWriter(base, 'book', ['--persist', 'false', '--rate', '20000']);
    writers.push(writer);
    // ~1 k records/s against 20 k/s into a ring of ~10.9 k records: it falls behind, then is lapped.
    const reader = await startSlowReader(base, 'book', ['--pause-ms', '1']);
    writers.push(reader);
    const { lastFrame, stdin } = await show({ columns: 80 });
    const frame = await waitForFrame(lastFrame, (f) =>
      // RDRS 1, LAG non-zero, LOST non-zero: the last three cells of the row.
      /book\s+LIVE.*\s1\s+[1-9][\d.]*(?: [kMG])?\s+[1-9][\d.]*(?: [kMG])?$/m.test(f),
    );
    expect(frame).toMatch(/FEED\s+STATE\s+REC\/S\s+LAST MIN\s+AGE\s+RECORDS\s+RDRS\s+LAG\s+LOST$/m);
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    stdin.write(KEYS.enter);
    const detail = await waitForFrame(lastFrame, (f) =>
      new RegExp(
        `readers 1, most lagging first:\\s*\\n {2}pid ${reader.pid} lag [1-9][\\d.]*(?: k)? lost [1-9]`,
      ).test(f),
    );
    expect(detail).toMatch(/ring [\d.]+ k records .* lost [1-9]/);
    expect(detail).toContain('ring readers lost');
  });

  it('opens the detail of a live feed with its schema, newest records and receive latency', async () => {
    createEmptyBase();
    writers.push(await startWriter(base, 'trades', ['--rate', '5000']));
    const { lastFrame, stdin } = await show();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    stdin.write(KEYS.enter);
    const frame = await waitForFrame(
      lastFrame,
      (f) => /Receive→read latency \(recv_us\): newest \d/.test(f) && /\d\d:\d\d:\d\d\.\d{6}/.test(f),
    );
    expect(frame).toMatch(/^trades\s+LIVE\s+disk/m);
    expect(frame).toContain('price:float64@0 size:float64@8 recv_us:uint64@16');
    expect(frame).toContain('Schema <ddQ (time column recv_us)');
    expect(frame).toMatch(/price\s+size\s+recv_us/);
    expect(frame).toMatch(/^\s+10[01]\.\d+\s+\d\s+\d\d:\d\d:\d\d\.\d{6}$/m);
    expect(frame).toContain('no findings');
  });

  it('shows a feed going STALE when its writer stops writing, and DOWN once the writer dies', async () => {
    createEmptyBase();
    const writer = await startWriter(base, 'quiet', ['--rate', '2000', '--stop-after', '500']);
    writers.push(writer);
    const { lastFrame, stdin } = await show({ liveSeconds: 1 });
    let frame = await waitForFrame(lastFrame, (f) => /quiet\s+STALE/.test(f));
    expect(frame).toContain('DEGRADED');
    expect(row(frame, 'quiet')).toContain('500');
    await stopWriter(writer, 'SIGKILL');
    frame = await waitForFrame(lastFrame, (f) => /quiet\s+DOWN/.test(f));
    expect(frame).toContain('│ DOWN');
    stdin.write(KEYS.enter);
    frame = await waitForFrame(lastFrame, (f) => f.includes('Health'));
    expect(frame).toContain('no writer holds the feed and it was not closed; the last record was');
    expect(frame).toMatch(
      /✓ \d\d:\d\d:\d\d writer pid \d+ holds the feed but the last record was .* \(resolved\)/,
    );
  });

  it('shows a feed IDLE, not DOWN, once its writer closes it cleanly', async () => {
    createEmptyBase();
    const writer = await startWriter(base, 'session', ['--rate', '2000']);
    writers.push(writer);
    const { lastFrame } = await show({ liveSeconds: 1 });
    await waitForFrame(lastFrame, (f) => /session\s+LIVE/.test(f));
    await stopWriter(writer, 'SIGTERM');
    const frame = await waitForFrame(lastFrame, (f) => /session\s+IDLE/.test(f));
    expect(frame).toContain('1 feed │ OK');
    expect(row(frame, 'session')).toMatch(/\s—\s/);
  });
});
