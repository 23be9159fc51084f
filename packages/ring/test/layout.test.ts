import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ringByteLength, slotLengthFor } from '../src/geometry.js';
import * as layout from '../src/layout.js';

/** The "Ring buffer (ring)" section of the repo's ARCHITECTURE.md. */
function architectureSection(): string {
  const text = readFileSync(new URL('../../../ARCHITECTURE.md', import.meta.url), 'utf8');
  const start = text.indexOf('## Ring buffer (ring)');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Offset table rows: constant name (first word of the field column) → offset. */
function documentedOffsets(table: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !/^\d+$/.test(cells[1])) continue;
    const field = cells[3].replace(/`/g, '').split(/[\s(]/)[0];
    rows.set(
      field === 'slots' ? 'DATA' : field === 'record' ? 'SLOT_HEADER_LENGTH' : field,
      Number(cells[1]),
    );
  }
  return rows;
}

/** The section's two tables: the header's, then the slot's (after "Slot layout"). */
function tables(section: string): { header: string; slot: string } {
  const split = section.indexOf('Slot layout');
  expect(split).toBeGreaterThan(0);
  return { header: section.slice(0, split), slot: section.slice(split) };
}

const constants = layout as unknown as Record<string, number>;

describe('ring layout', () => {
  it('matches the offset tables and version in ARCHITECTURE.md', () => {
    const section = architectureSection();
    expect(section).toContain(`format **version ${layout.RING_VERSION}**`);
    const { header, slot } = tables(section);
    const documented = documentedOffsets(header);
    const slotFields = ['STAMP_LO', 'STAMP_HI'];
    const offsets = Object.keys(constants)
      .filter((key) => key.endsWith('_OFFSET'))
      .map((key) => key.slice(0, -'_OFFSET'.length))
      .filter((name) => !slotFields.includes(name));
    for (const name of offsets) {
      expect({ name, offset: documented.get(name) }).toEqual({ name, offset: constants[`${name}_OFFSET`] });
    }
    expect(documented.size).toBe(offsets.length);
    expect(documented.get('HEADER_LENGTH')).toBe(layout.HEADER_LENGTH_OFFSET);
    expect(layout.DATA_OFFSET).toBe(layout.HEADER_LENGTH);
    const slotRows = documentedOffsets(slot);
    expect(Object.fromEntries(slotRows)).toEqual({
      STAMP_LO: layout.STAMP_LO_OFFSET,
      STAMP_HI: layout.STAMP_HI_OFFSET,
      SLOT_HEADER_LENGTH: layout.SLOT_HEADER_LENGTH,
    });
  });

  it('keeps writer-hot, reader-written and static words 128 bytes apart', () => {
    const line = (offset: number) => Math.floor(offset / 128);
    const writerHot = [layout.SEQ_GENERATION_OFFSET, layout.CLAIM_LO_OFFSET, layout.PUBLISH_LO_OFFSET];
    expect(new Set(writerHot.map(line)).size).toBe(1);
    expect(line(layout.WAITERS_OFFSET)).not.toBe(line(layout.PUBLISH_LO_OFFSET));
    expect(line(layout.MAGIC_OFFSET)).not.toBe(line(layout.PUBLISH_LO_OFFSET));
    expect(line(layout.WRITER_PID_OFFSET)).not.toBe(line(layout.WAITERS_OFFSET));
    expect(layout.HEADER_LENGTH % 128).toBe(0);
  });

  it('stamps each slot in front of its record, padded to 8 bytes', () => {
    expect([1, 8, 24, 25, 64].map(slotLengthFor)).toEqual([16, 16, 32, 40, 72]);
    expect(ringByteLength({ recordSize: 24, capacity: 10 })).toBe(layout.HEADER_LENGTH + 320);
    // 24-byte records: 32-byte slots from a 64-byte aligned start, so a record and its stamp
    // always share one cache line.
    expect(layout.DATA_OFFSET % 64).toBe(0);
    expect(64 % slotLengthFor(24)).toBe(0);
  });
});
