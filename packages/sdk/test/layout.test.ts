import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as C from '../src/disk/chunk-layout.js';
import * as L from '../src/registry/layout.js';
import { tradeSpec, useTempBase } from './helpers/temp-base.js';

const architecture = readFileSync(new URL('../../../ARCHITECTURE.md', import.meta.url), 'utf8');
const section = (title: string) => {
  const start = architecture.indexOf(`## ${title}`);
  return architecture.slice(start, architecture.indexOf('\n## ', start + 1));
};

describe('binary layouts match ARCHITECTURE.md', () => {
  const t = useTempBase();

  it('documents the format version and the file lengths the code uses', () => {
    const registries = section('Base directory, manifest and registries (sdk)');
    expect(registries).toContain(`**Format version ${L.FORMAT_VERSION}**`);
    expect(registries).toContain(
      `\`feeds.reg\` (version ${L.GLOBAL_VERSION}, ${L.GLOBAL_FILE_LENGTH.toLocaleString('en-US')} bytes)`,
    );
    expect(registries).toContain(
      `\`chunks.reg\` (version ${L.FEED_VERSION}, ${L.FEED_FILE_LENGTH.toLocaleString('en-US')} bytes)`,
    );
    expect(registries).toContain(
      `\`readers.tbl\` (version ${L.READERS_VERSION}, ${L.READERS_FILE_LENGTH.toLocaleString('en-US')} bytes)`,
    );
    expect(section('Chunk files (sdk)')).toContain(`**Version ${C.CHUNK_VERSION}.**`);
  });

  it.each([
    ['Base directory, manifest and registries (sdk)', L.G_SLOTS_USED_OFFSET, 4, 'slotsUsed'],
    ['Base directory, manifest and registries (sdk)', L.F_LAST_CHUNK_ID_OFFSET, 4, '**lastChunkId**'],
    ['Base directory, manifest and registries (sdk)', L.F_LAST_APPEND_US_OFFSET, 8, 'lastAppendUs (f64)'],
    ['Base directory, manifest and registries (sdk)', L.F_WAITERS_OFFSET, 4, 'waiters'],
    ['Base directory, manifest and registries (sdk)', L.F_SIGNAL_OFFSET, 4, 'signal'],
    ['Chunk files (sdk)', C.C_COMMITTED_COUNT_OFFSET, 4, '**committedCount**'],
    ['Chunk files (sdk)', C.C_SEALED_OFFSET, 4, 'sealed'],
  ])('%s: offset %i (%i bytes) is %s', (title, offset, length, field) => {
    const escaped = field.replace(/[*()]/g, '\\$&');
    expect(section(title)).toMatch(new RegExp(`\\| ${offset} \\| ${length} \\| ${escaped}`));
  });

  it('creates files of exactly the documented lengths with the documented magics', () => {
    const p = t.platform();
    p.createFeed(tradeSpec('trades', { chunkSizeMb: 0.01 }));
    p.createWriter('trades').close();
    const base = t.base();
    const dir = join(base, 'feeds', 'trades');
    expect(statSync(join(base, 'feeds.reg')).size).toBe(L.GLOBAL_FILE_LENGTH);
    expect(statSync(join(dir, 'chunks.reg')).size).toBe(L.FEED_FILE_LENGTH);
    expect(statSync(join(dir, 'readers.tbl')).size).toBe(L.READERS_FILE_LENGTH);
    const magic = (path: string) => readFileSync(path).subarray(0, 4).toString('latin1');
    expect(magic(join(base, 'feeds.reg'))).toBe('DWGR');
    expect(magic(join(dir, 'chunks.reg'))).toBe('DWFR');
    expect(magic(join(dir, 'readers.tbl'))).toBe('DWRT');
    const chunk = join(dir, 'chunk-0000000001.dat');
    expect(magic(chunk)).toBe('DWCK');
    // 0.01 MiB / 24 bytes = 436 records; header + data rounded up to a page.
    expect(statSync(chunk).size).toBe(4096 + Math.ceil((436 * 24) / 4096) * 4096);
  });
});
