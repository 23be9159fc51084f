import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as L from '../../src/registry/layout.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const architecture = readFileSync(new URL('../../../../ARCHITECTURE.md', import.meta.url), 'utf8');
const heading = `### Ring readers table \`${L.RING_READERS_FILE}\``;
const section = architecture.slice(
  architecture.indexOf(heading),
  architecture.indexOf('\n#', architecture.indexOf(heading) + 1),
);

describe('the ring readers table matches ARCHITECTURE.md', () => {
  const t = useRingBase();

  it('documents its version and length', () => {
    expect(architecture).toContain(
      `${heading} (version ${L.RING_READERS_VERSION}, ${L.RING_READERS_FILE_LENGTH.toLocaleString('en-US')} bytes)`,
    );
  });

  it.each([
    [L.RR_PID_OFFSET, 4, 'pid'],
    [L.RR_KIND_OFFSET, 4, 'kind'],
    [L.RR_SEQUENCE_OFFSET, 8, 'sequence (f64)'],
    [L.RR_LOST_RECORDS_OFFSET, 8, 'lostRecords (f64)'],
    [L.RR_HEARTBEAT_US_OFFSET, 8, 'heartbeatUs (f64)'],
    [L.RR_OPENED_US_OFFSET, 8, 'openedUs (f64)'],
  ])('slot offset +%i (%i bytes) is %s', (offset, length, field) => {
    expect(section).toContain(`| +${offset} | ${length} | ${field}`);
  });

  it('documents the header word writers announce their ring in', () => {
    expect(section).toContain(`| ${L.RR_HEADER_RING_GENERATION_OFFSET} | 4 | ringGeneration`);
  });

  it('creates the file with the documented length, magic and header', () => {
    const p = t.open();
    p.createFeed(tradeSpec('doc', { persist: false, chunkSizeMb: mbFor(64) }));
    const reader = p.createReader('doc');
    reader.readAvailable();
    const bytes = readFileSync(join(t.base(), 'feeds', 'doc', L.RING_READERS_FILE));
    expect(bytes.length).toBe(L.RING_READERS_FILE_LENGTH);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('DWRR');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect([4, 8, 12].map((at) => view.getUint32(at, true))).toEqual([
      L.RING_READERS_VERSION,
      L.RING_READERS_SLOT_CAPACITY,
      L.RING_READERS_SLOT_LENGTH,
    ]);
    expect(L.RING_READERS_SLOT_LENGTH % 64).toBe(0);
    reader.close();
    p.deleteFeed('doc');
  });
});
