import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as layout from './layout.js';

/** The "Ring buffer (ring)" section of the repo's ARCHITECTURE.md. */
function architectureSection(): string {
  const text = readFileSync(new URL('../../../ARCHITECTURE.md', import.meta.url), 'utf8');
  const start = text.indexOf('## Ring buffer (ring)');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Offset table rows: constant name (first word of the field column) → offset. */
function documentedOffsets(section: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !/^\d+$/.test(cells[1])) continue;
    const field = cells[3].replace(/`/g, '').split(/[\s(]/)[0];
    rows.set(field === 'record' ? 'DATA' : field, Number(cells[1]));
  }
  return rows;
}

const constants = layout as unknown as Record<string, number>;

describe('ring layout', () => {
  it('matches the offset table and version in ARCHITECTURE.md', () => {
    const section = architectureSection();
    expect(section).toContain(`format **version ${layout.RING_VERSION}**`);
    const documented = documentedOffsets(section);
    const offsets = Object.keys(constants).filter((key) => key.endsWith('_OFFSET'));
    for (const key of offsets) {
      const name = key.slice(0, -'_OFFSET'.length);
      expect({ name, offset: documented.get(name) }).toEqual({ name, offset: constants[key] });
    }
    expect(documented.size).toBe(offsets.length);
    expect(documented.get('HEADER_LENGTH')).toBe(layout.HEADER_LENGTH_OFFSET);
    expect(layout.DATA_OFFSET).toBe(layout.HEADER_LENGTH);
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
});
