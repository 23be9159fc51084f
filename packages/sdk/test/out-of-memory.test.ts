// Out of address space (mmap ENOMEM). At a chunk rotation the writer first gives back the process's
// cached chunk mappings and retries; if that is not enough, the write fails with a NoMemoryError
// naming the feed, nothing written is lost, and the writer continues once memory is back; a
// columnar result too large for what is left fails the same way. The
// limit is the child's own RLIMIT_AS, lowered from outside (prlimit --pid) once it is set up.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useChildren } from './helpers/child.js';
import { useTempBase } from './helpers/temp-base.js';

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;
/** Room left above the child's address space at "ready": less than one 64 MiB chunk. */
const HEADROOM = 16 * 1024 * 1024;

function setAddressSpace(pid: number, bytes: number | 'unlimited'): void {
  // Only the soft limit: lifting it again needs no privilege.
  execFileSync('prlimit', ['--pid', String(pid), `--as=${bytes}:unlimited`]);
}

describe.skipIf(!hasPrlimit || process.platform !== 'linux')('out of address space', () => {
  const spawnChild = useChildren();
  const { base } = useTempBase();

  async function run(mode: 'evict' | 'fail' | 'read') {
    const child = spawnChild('out-of-memory.ts', [base(), mode]);
    const pid = child.process.pid as number;
    const { ready } = await child.line('ready');
    setAddressSpace(pid, (ready as number) + HEADROOM);
    const first = await child.line('lift');
    setAddressSpace(pid, 'unlimited');
    const { done } = await child.line('done');
    const { code, signal, stderr } = await child.exited;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    return { first, done: done as { written: number; read: number; inOrder: boolean } };
  }

  it('gives back the cached chunk mappings and rotates anyway', async () => {
    const { first, done } = await run('evict');
    expect(first).toHaveProperty('wrote');
    expect(done.read).toBe(done.written);
    expect(done.inOrder).toBe(true);
  }, 60_000);

  it('fails the write with ERR_NO_MEMORY naming the feed, loses nothing, and continues when memory is back', async () => {
    const { first, done } = await run('fail');
    const failed = first.failed as Record<string, unknown>;
    expect(failed).toMatchObject({ name: 'NoMemoryError', code: 'ERR_NO_MEMORY', feed: 'ticks' });
    expect(failed.message).toMatch(
      /^Feed "ticks": cannot create chunk 2 \(.*chunk-0000000002\.dat\): .*ENOMEM/,
    );
    expect(failed.message).toMatch(/vm\.max_map_count/);
    expect(failed.writtenRecords).toBeGreaterThanOrEqual(0);
    expect(done.read).toBe(done.written);
    expect(done.inOrder).toBe(true);
  }, 60_000);

  it('fails a columnar range too large for the memory left with ERR_NO_MEMORY naming the feed and the size', async () => {
    const { first, done } = await run('read');
    const failed = first.failed as Record<string, unknown>;
    expect(failed).toMatchObject({
      name: 'NoMemoryError',
      code: 'ERR_NO_MEMORY',
      feed: 'ticks',
      writtenRecords: 0,
    });
    expect(failed.message).toMatch(
      /^Feed "ticks": cannot allocate a columnar result of \d+ records: .*ENOMEM/,
    );
    expect(done.read).toBe(done.written);
    expect(done.inOrder).toBe(true);
  }, 60_000);
});
