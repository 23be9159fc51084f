// Issue #13 item 2: a ring writer on a full /dev/shm gets ERR_NO_SPACE when the ring is created
// (its shm object is reserved whole), never SIGBUS on a first write, and leaves no object behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isRoot } from './helpers/tmpfs.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/ring-no-space.ts', import.meta.url));

describe.skipIf(!isRoot)('a ring on a full /dev/shm', () => {
  let base: string | undefined;
  afterEach(() => {
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });

  it('is ERR_NO_SPACE naming the feed and object, with nothing left in /dev/shm', () => {
    base = mkdtempSync(join(tmpdir(), 'dw-test-ring-shm-'));
    // A private mount namespace with its own 1 MiB /dev/shm: it vanishes with the child.
    const run = spawnSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        'mount -t tmpfs -o size=1m tmpfs /dev/shm && exec "$0" "$@"',
        process.execPath,
        '--import',
        'tsx',
        FIXTURE,
        base,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    expect(outcome.big).toMatchObject({ name: 'NoSpaceError', code: 'ERR_NO_SPACE', feed: 'big' });
    expect(outcome.big.path).toMatch(/^\/dev\/shm\/dw-[0-9a-f]+-big$/);
    expect(outcome.shmAfterFailure).toEqual([]);
    expect(outcome.smallLatest).toBeGreaterThan(0);
  });
});
