import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeFileLogger, createFileLogger } from '../../src/ops/logging.js';

describe('createFileLogger', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'dw-test-log-'));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  /** Oldest first: deepwater.log.N … deepwater.log.1, then the active deepwater.log. */
  const logFiles = () =>
    readdirSync(base)
      .filter((f) => /^deepwater\.log(\.\d+)?$/.test(f))
      .sort((a, b) => Number(b.split('.')[2] ?? 0) - Number(a.split('.')[2] ?? 0));

  it('writes JSON lines with the message and bindings into the base directory', async () => {
    const logger = createFileLogger(base, { bindings: { component: 'test' } });
    logger.info({ feed: 'trades', chunk: 3 }, 'deleted expired chunk');
    await closeFileLogger(logger);
    const files = logFiles();
    expect(files).toEqual(['deepwater.log']);
    const line = JSON.parse(readFileSync(join(base, files[0]), 'utf8').trim());
    expect(line).toMatchObject({
      msg: 'deleted expired chunk',
      feed: 'trades',
      chunk: 3,
      component: 'test',
      pid: process.pid,
    });
  });

  it('rotates by size and keeps only the configured number of files', async () => {
    const logger = createFileLogger(base, { rotateBytes: 1024, keepFiles: 3 });
    const padding = 'x'.repeat(200);
    for (let i = 0; i < 200; i++) logger.info({ i, padding }, 'line');
    await closeFileLogger(logger);
    // The active file keeps its name; rotated ones are numbered, newest first, oldest dropped.
    const files = logFiles();
    expect(files).toEqual(['deepwater.log.2', 'deepwater.log.1', 'deepwater.log']);
    for (const f of files) expect(statSync(join(base, f)).size).toBeLessThanOrEqual(1024);
    // Rotation drops whole old files only: the surviving files end with the last line written.
    const lines = files.flatMap((f) => readFileSync(join(base, f), 'utf8').split('\n').filter(Boolean));
    expect(JSON.parse(lines[lines.length - 1]).i).toBe(199);
    const indices = lines.map((l) => JSON.parse(l).i as number);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('continues the active file of an earlier logger instead of starting over', async () => {
    const first = createFileLogger(base);
    first.info('one');
    await closeFileLogger(first);
    const second = createFileLogger(base);
    second.info('two');
    await closeFileLogger(second);
    const lines = readFileSync(join(base, 'deepwater.log'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['one', 'two']);
  });

  it('rejects a rotation size too small to hold a line', () => {
    expect(() => createFileLogger(base, { rotateBytes: 10 })).toThrow(/rotateBytes/);
  });
});
