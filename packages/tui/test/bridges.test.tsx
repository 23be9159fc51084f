import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, openPlatformSource, type PlatformSource } from '../src/index.js';
import { waitForFrame } from './fixtures/frames.js';

let base: string;
let source: PlatformSource | null = null;
let unmount: (() => void) | null = null;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dw-test-tui-bridge-'));
  new Platform(base).close();
});

afterEach(() => {
  unmount?.();
  unmount = null;
  source?.close();
  source = null;
  rmSync(base, { recursive: true, force: true });
});

/**
 * A status file as `deepwater-bridge` writes it (packages/bridge-nats README, "Status file"): the
 * dashboard only knows the documented JSON, never the bridge's code.
 */
function writeStatus(name: string, fields: Record<string, unknown>, ageSeconds = 0): void {
  const updatedAt = new Date(Date.now() - ageSeconds * 1000).toISOString();
  const status = {
    role: 'replicate',
    feed: 'trades',
    stream: 'DW_HOSTA_TRADES',
    servers: 'nats://127.0.0.1:4222',
    records: 0,
    bytes: 0,
    messages: 0,
    nextSeq: 0,
    sourceNextSeq: 0,
    recordsBehind: 0,
    secondsBehind: 0,
    recordsPerSecond: 0,
    lostRecords: 0,
    reconnects: 0,
    retries: 0,
    caughtUp: true,
    state: 'running',
    pid: 4242,
    statusEveryMs: 1000,
    startedAt: updatedAt,
    updatedAt,
    ...fields,
  };
  mkdirSync(join(base, '.bridge'), { recursive: true });
  writeFileSync(join(base, '.bridge', name), `${JSON.stringify(status, null, 2)}\n`);
}

async function show(columns = 120) {
  source = await openPlatformSource(base);
  const instance = render(<App source={source} pollIntervalMs={100} size={{ columns, rows: 30 }} />);
  unmount = instance.unmount;
  return instance;
}

const row = (frame: string, text: string) => frame.split('\n').find((l) => l.includes(text)) ?? '';

describe('the BRIDGES view', { timeout: 30_000 }, () => {
  it('is absent from a base without bridges', async () => {
    const { lastFrame } = await show();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Storage:'));
    expect(frame).not.toContain('BRIDGES');
  });

  it('shows each bridge status file with its lag, rate, reconnects and state; the mirror offset file is not one', async () => {
    writeStatus('replicate-trades.status.json', {
      nextSeq: 1_250_000,
      sourceNextSeq: 1_251_200,
      recordsBehind: 1200,
      secondsBehind: 0.25,
      recordsPerSecond: 48_000,
      reconnects: 2,
      retries: 1,
      caughtUp: false,
    });
    writeStatus('mirror-copy.status.json', {
      role: 'mirror',
      feed: 'copy',
      recordsBehind: 3_000_000,
      secondsBehind: 42,
      recordsPerSecond: 900_000,
    });
    // The mirror's position file shares the directory and is not a status.
    writeFileSync(
      join(base, '.bridge', 'mirror-copy.json'),
      '{"stream":"DW_HOSTA_TRADES","sourceSeqOffset":0}\n',
    );
    const { lastFrame } = await show();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('BRIDGES'));
    expect(frame).toMatch(
      /BRIDGES \(NATS\)\s+STATE\s+BEHIND\s+LAG\s+RATE\s+RECONN\s+NEXT SEQ\s+RETRY\s+LOST\s+UPDATED/,
    );
    const replicate = row(frame, 'replicate trades → DW_HOSTA_TRADES');
    expect(replicate).toMatch(/RUNNING\s+1\.2 k\s+250 ms\s+48 k\/s\s+2\s+1\.3 M\s+1\s+0\s+\S+/);
    const mirror = row(frame, 'mirror DW_HOSTA_TRADES → copy');
    expect(mirror).toMatch(/BEHIND\s+3 M\s+42 s\s+900 k\/s\s+0/);
    expect(frame.split('\n').filter((l) => l.includes('DW_HOSTA_TRADES'))).toHaveLength(2);
  });

  it('flags a status that stopped being rewritten as STALE, and follows it when it is rewritten', async () => {
    writeStatus('replicate-trades.status.json', { pid: 31337 }, 60);
    const { lastFrame } = await show();
    const stale = await waitForFrame(lastFrame, (f) => f.includes('BRIDGES'));
    expect(row(stale, 'replicate trades')).toContain('STALE');
    expect(stale).toContain('! status not updated for 1 m 00 s: is the bridge (pid 31337) still running?');
    writeStatus('replicate-trades.status.json', { pid: 31337, recordsPerSecond: 7000 });
    const fresh = await waitForFrame(lastFrame, (f) => row(f, 'replicate trades').includes('RUNNING'));
    expect(row(fresh, 'replicate trades')).toContain('7 k/s');
    expect(fresh).not.toContain('still running?');
  });

  it('tells a stopped bridge, a failed one (with its error) and an unreadable file apart', async () => {
    writeStatus('replicate-trades.status.json', { state: 'stopped' }, 3600);
    writeStatus('mirror-copy.status.json', {
      role: 'mirror',
      feed: 'copy',
      state: 'failed',
      lastError: 'Feed "copy" has schema <dd, but stream "DW_HOSTA_TRADES" carries <ddQ',
    });
    writeFileSync(join(base, '.bridge', 'mirror-half.status.json'), '{"role":"mir');
    const { lastFrame } = await show();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('BRIDGES') && f.includes('mirror-half'));
    expect(row(frame, 'replicate trades')).toContain('STOPPED');
    expect(row(frame, 'mirror DW_HOSTA_TRADES → copy')).toContain('FAILED');
    expect(frame).toContain('! Feed "copy" has schema <dd, but stream "DW_HOSTA_TRADES" carries <ddQ');
    expect(row(frame, 'mirror-half.status.json')).toContain('UNREADABLE');
    expect(frame).toMatch(/! \S*mirror-half\.status\.json: /);
  });

  it('fits 80 columns: no line wider, the name and state kept', async () => {
    writeStatus('replicate-a-very-long-feed-name.status.json', {
      feed: 'a-very-long-feed-name',
      stream: 'DW_A_VERY_LONG_BASE_ID_A_VERY_LONG_FEED_NAME',
      recordsBehind: 12,
    });
    const { lastFrame } = await show(80);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('BRIDGES'));
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(row(frame, 'replicate a-very-long')).toMatch(/RUNNING\s+12\s/);
    expect(readdirSync(join(base, '.bridge'))).toHaveLength(1);
  });
});
