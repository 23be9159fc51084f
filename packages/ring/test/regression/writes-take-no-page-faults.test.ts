// Lesson: every 4 KiB page of a fresh ring cost the writer a minor page fault on its first store
// (~8 faults per 1000 24-byte records, 1-3 µs each in a VM): the writer now maps all pages in at open.
import { describe, expect, it } from 'vitest';
import { slotLengthFor } from '../../src/geometry.js';
import { RECORD_SIZE } from '../helpers.js';
import { useRings } from './ring-fixture.js';

const rings = useRings();
const encode = (view: DataView, at: number, value: number): void => view.setFloat64(at, value, true);

describe('regression: a fresh ring', () => {
  it('is written without a page fault per page once the writer has prefaulted it', async () => {
    // 512 Ki slots: 16 MiB, 4096 pages. The rest of the process (JIT code, heap growth on the first
    // calls) faulted ~100-300 pages on its own under load, so the ring must dwarf that.
    const capacity = 1 << 19;
    const writer = rings.writer(rings.name('faults'), capacity);
    try {
      await writer.prefaulted;
      const pages = (capacity * slotLengthFor(RECORD_SIZE)) / 4096;
      const before = process.resourceUsage().minorPageFault;
      for (let i = 0; i < capacity; i++) writer.writeOne(encode, i); // allocates nothing (no GC pages)
      const faults = process.resourceUsage().minorPageFault - before;
      // Without the prefault this is at least `pages`; the margin is for the rest of the process.
      expect(faults).toBeLessThan(pages / 4);
    } finally {
      writer.close();
    }
  });
});
