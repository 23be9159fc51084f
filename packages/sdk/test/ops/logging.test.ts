import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeFileLogger, createFileLogger } from '../../src/ops/logging.js';

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('createFileLogger', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'dw-test-log-'));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  const logFiles = () =>
    readdirSync(base)
      .filter((f) => /^deepwater\.\d+\.log$/.test(f))
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));

  it('writes JSON lines with the message and bindings into the base directory', async () => {
    const logger = createFileLogger(base, { bindings: { component: 'test' } });
    logger.info({ feed: 'trades', chunk: 3 }, 'deleted expired chunk');
    await closeFileLogger(logger);
    const files = logFiles();
    expect(files).toEqual(['deepwater.1.log']);
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
    for (let i = 0; i < 200; i++) {
      logger.info({ i, padding }, 'line');
      // Flush each burst so the file grows past the limit between bursts, as in a real process.
      if (i % 10 === 9) await new Promise<void>((r) => logger.flush(() => r()));
    }
    await closeFileLogger(logger);
    await waitFor(() => logFiles().length <= 3); // old files are removed just after each roll
    const files = logFiles();
    expect(files.length).toBeLessThanOrEqual(3);
    expect(files.length).toBeGreaterThan(1);
    // Rotation drops whole old files only: the surviving files end with the last line written.
    const lines = files.flatMap((f) => readFileSync(join(base, f), 'utf8').split('\n').filter(Boolean));
    expect(JSON.parse(lines[lines.length - 1]).i).toBe(199);
    const indices = lines.map((l) => JSON.parse(l).i as number);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('rejects a rotation size too small to hold a line', () => {
    expect(() => createFileLogger(base, { rotateBytes: 10 })).toThrow(/rotateBytes/);
  });
});
