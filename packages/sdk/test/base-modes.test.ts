import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { shmPath, unlinkShm } from '@deepwater/storage-native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Platform } from '../src/index.js';
import { ringShmName } from '../src/ring/index.js';
import { tempBase } from './ops/helpers/bases.js';

const FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_us', type: 'uint64' },
];

let base: string;
let savedUmask = 0;
const rings: string[] = [];
beforeEach(() => {
  savedUmask = process.umask(0o022); // the usual umask: it would leave everything world-readable
  base = join(tempBase('dw-test-modes-').path, 'base'); // created by the Platform
});
afterEach(() => {
  process.umask(savedUmask);
  for (const ring of rings.splice(0)) unlinkShm(ring);
  rmSync(join(base, '..'), { recursive: true, force: true });
});

/** Mode bits of every entry under the base (itself included), by path relative to it. */
function modes(): Map<string, number> {
  const found = new Map<string, number>([['.', statSync(base).mode & 0o777]]);
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      found.set(`${prefix}${name}${stat.isDirectory() ? '/' : ''}`, stat.mode & 0o777);
      if (stat.isDirectory()) walk(path, `${prefix}${name}/`);
    }
  };
  walk(base, '');
  return found;
}

/** Creates a disk feed and a ring feed, writes and reads both: every kind of file gets made. */
function useEverything(platform: Platform): void {
  platform.createFeed({
    feedName: 'disk',
    fields: FIELDS,
    tsCol: 'timestamp_us',
    chunkSizeBytes: 240,
    mode: 'IF',
  });
  platform.createFeed({ feedName: 'ring', fields: FIELDS, tsCol: 'timestamp_us', persist: false });
  rings.push(ringShmName(base, 'ring'));
  const now = Date.now() * 1000;
  for (const feed of ['disk', 'ring']) {
    const writer = platform.createWriter(feed);
    for (let i = 0; i < 25; i++) writer.writeValues(i, 1, now + i);
    const reader = platform.createReader(feed);
    reader.readAvailable(); // claims a readers-table slot (ring feeds create ring-readers.tbl here)
    reader.close();
    writer.close();
  }
  platform.logger.info({}, 'a line, so deepwater.log exists');
}

describe('file and ring modes', () => {
  it('default: owner and group only, whatever the umask (files 0o660, directories 0o770)', () => {
    const platform = new Platform(base);
    try {
      useEverything(platform);
    } finally {
      platform.close();
    }
    const found = modes();
    for (const expected of [
      'feeds.reg',
      'registry.lock',
      'manifest.json',
      'deepwater.log',
      'feeds/disk/chunk-0000000003.dat',
      'feeds/disk/readers.tbl',
      'feeds/disk/writer.lock',
      'feeds/ring/ring-readers.tbl',
      'feeds/disk/index-0000000001.dwi',
    ]) {
      expect(found.has(expected), expected).toBe(true);
    }
    for (const [path, mode] of found) {
      expect(mode.toString(8), path).toBe(path === '.' || path.endsWith('/') ? '770' : '660');
    }
    expect((statSync(shmPath(ringShmName(base, 'ring'))).mode & 0o777).toString(8)).toBe('660');
  });

  it('{ mode } is honoured for every file, directory and ring', () => {
    const platform = new Platform(base, { mode: 0o640 });
    try {
      useEverything(platform);
    } finally {
      platform.close();
    }
    for (const [path, mode] of modes()) {
      expect(mode.toString(8), path).toBe(path === '.' || path.endsWith('/') ? '750' : '640');
    }
    expect((statSync(shmPath(ringShmName(base, 'ring'))).mode & 0o777).toString(8)).toBe('640');
  });

  it('rejects a mode that is not a permission mode, or that locks the owner out', () => {
    for (const mode of [0o1777, -1, 1.5, '660', 0o440]) {
      expect(() => new Platform(base, { mode: mode as number })).toThrow(RangeError);
    }
  });
});
