import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, Platform } from '../../src/index.js';
import { type TestBase, TRADE_FIELDS, tempBase } from './helpers/bases.js';
import { spawnTs } from './helpers/child.js';

const SPEC = { feedName: 'trades', fields: TRADE_FIELDS, tsCol: 'timestamp_us', chunkSizeBytes: 240 };

interface LogLine {
  level: number;
  msg: string;
  pid: number;
  feed?: string;
  [key: string]: unknown;
}

describe('the Platform logs lifecycle events to <base>/deepwater.log by default', () => {
  let base: TestBase;
  beforeEach(() => {
    base = tempBase();
  });
  afterEach(() => base.remove());

  const logPath = () => join(base.path, 'deepwater.log');
  const logLines = (): LogLine[] =>
    readFileSync(logPath(), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

  it('records feed creation, writer open/close with pid, chunk rotations and deletion — not records', () => {
    const p = new Platform(base.path);
    p.createFeed(SPEC);
    const w = p.createWriter('trades');
    for (let i = 0; i < 25; i++) w.writeValues(i, 1, i); // 10 records per chunk: two rotations
    w.close();
    p.deleteFeed('trades');
    p.close();
    const lines = logLines();
    expect(lines.map((l) => l.msg)).toEqual([
      'feed created',
      'writer opened',
      'chunk rotated',
      'chunk rotated',
      'writer closed',
      'feed deleted',
    ]);
    for (const line of lines) expect(line).toMatchObject({ feed: 'trades', pid: process.pid, level: 30 });
    expect(lines[2]).toMatchObject({ chunk: 2, sealedRecords: 10 });
  });

  it('creates no file for a process that only reads', () => {
    const setup = new Platform(base.path, { logger: false });
    setup.createFeed(SPEC);
    const w = setup.createWriter('trades');
    w.writeValues(1, 1, 1);
    w.close();
    setup.close();
    expect(existsSync(logPath())).toBe(false);

    const reader = new Platform(base.path);
    expect(reader.createReader('trades').range(0, 10)).toEqual([[1, 1, 1]]);
    reader.feedStatus('trades');
    reader.listFeeds();
    reader.close();
    expect(existsSync(logPath())).toBe(false);
  });

  it('sends everything to a logger passed by the application instead, and nothing with false', () => {
    const seen: string[] = [];
    const own: Logger = {
      info: (_obj, msg) => seen.push(`info ${msg}`),
      warn: (_obj, msg) => seen.push(`warn ${msg}`),
      error: (_obj, msg) => seen.push(`error ${msg}`),
    };
    const p = new Platform(base.path, { logger: own });
    p.createFeed(SPEC);
    p.createWriter('trades').close();
    p.close();
    expect(seen).toEqual(['info feed created', 'info writer opened', 'info writer closed']);
    const quiet = new Platform(base.path, { logger: false });
    quiet.deleteFeed('trades');
    quiet.close();
    expect(existsSync(logPath())).toBe(false);
  });

  it('rejects a logger option that is neither false nor a logger, naming the option', () => {
    expect(() => new Platform(base.path, { logger: 'yes' as unknown as Logger })).toThrow(/logger/);
  });

  it('logs the recovery of a crashed writer at warn', async () => {
    const setup = new Platform(base.path, { logger: false });
    setup.createFeed(SPEC);
    setup.close();
    const crashed = spawnTs('crash-writer.ts', [base.path, 'trades', 1_000]);
    await crashed.line('written');
    crashed.process.kill('SIGKILL');
    await crashed.exited;

    const p = new Platform(base.path);
    p.createWriter('trades').close();
    p.close();
    const warnings = logLines().filter((l) => l.level === 40 && l.pid === process.pid);
    // Other warnings may come first (e.g. the unpublished bytes of a record the kill cut short,
    // saved aside before the writer resumes), so find the recovery's own line.
    const recovery = warnings.find(
      (l) => l.msg === 'recovered a feed whose previous writer did not close it (crash or kill)',
    );
    expect(recovery).toMatchObject({ feed: 'trades', previousWriterPid: crashed.process.pid });
    // The crashed writer logged its own lifecycle before dying.
    expect(logLines().some((l) => l.msg === 'writer opened' && l.pid === crashed.process.pid)).toBe(true);
  });

  it('keeps working, with one process warning, when the log file cannot be opened', async () => {
    mkdirSync(logPath()); // a directory where the file should be: open(2) fails as on a read-only base
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const p = new Platform(base.path);
      p.createFeed(SPEC);
      const w = p.createWriter('trades');
      w.writeValues(1, 1, 1);
      w.close();
      expect(p.createReader('trades').range(0, 10)).toEqual([[1, 1, 1]]);
      p.close();
      await new Promise((resolve) => setImmediate(resolve)); // 'warning' is emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('deepwater.log');
  });
});
