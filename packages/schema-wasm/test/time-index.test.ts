import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeIndex, TimeIndexFormatError } from '../src/index.js';
import { lowerBoundJs, TIME_INDEX_HEADER_LENGTH, TIME_INDEX_MAGIC } from '../src/time-index.js';
import { schemaWasm } from '../src/wasm.js';

function referenceLower(keys: readonly number[], ts: number): number {
  const i = keys.findIndex((k) => k >= ts);
  return i < 0 ? keys.length : i;
}

function referenceUpper(keys: readonly number[], ts: number): number {
  const i = keys.findIndex((k) => k > ts);
  return i < 0 ? keys.length : i;
}

function indexOf(keys: readonly number[]): TimeIndex {
  const index = new TimeIndex();
  keys.forEach((key, i) => {
    index.append(key, i * 7);
  });
  return index;
}

const sortedKeysWithDuplicates = fc
  .array(fc.integer({ min: -20, max: 40 }), { maxLength: 300 })
  .map((keys) => keys.sort((a, b) => a - b));

describe('TimeIndex', () => {
  it('matches the reference lowerBound/upperBound on sorted keys with many duplicates', () => {
    fc.assert(
      fc.property(
        sortedKeysWithDuplicates,
        fc.array(fc.oneof(fc.integer({ min: -25, max: 45 }), fc.double({ min: -25, max: 45, noNaN: true }))),
        (keys, queries) => {
          using index = indexOf(keys);
          expect(index.length).toBe(keys.length);
          for (const ts of [...queries, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) {
            expect(index.lowerBound(ts)).toBe(referenceLower(keys, ts));
            expect(index.upperBound(ts)).toBe(referenceUpper(keys, ts));
            expect(lowerBoundJs(new Float64Array(keys), ts)).toBe(referenceLower(keys, ts));
          }
        },
      ),
    );
  });

  it('returns keys and positions by entry', () => {
    using index = indexOf([5, 5, 9]);
    expect([index.keyAt(0), index.keyAt(2), index.positionAt(1), index.positionAt(2)]).toEqual([5, 9, 7, 14]);
    expect(() => index.keyAt(3)).toThrow('TimeIndex: entry 3 is out of range [0, 3)');
    expect(() => index.positionAt(-1)).toThrow(RangeError);
  });

  it('holds the extremes of the safe-integer range exactly', () => {
    using index = new TimeIndex();
    index.append(Number.MIN_SAFE_INTEGER, 0);
    index.append(0, 1);
    index.append(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    using copy = TimeIndex.deserialize(index.serialize());
    expect([copy.keyAt(0), copy.keyAt(2), copy.positionAt(2)]).toEqual([
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ]);
  });

  it('rejects a decreasing key and appends nothing', () => {
    using index = indexOf([10, 20]);
    expect(() => index.append(19, 5)).toThrow('TimeIndex: keys must be non-decreasing: 19 follows 20');
    expect(index.length).toBe(2);
    index.append(20, 9);
    expect(index.length).toBe(3);
  });

  it.each([
    [1.5, 0, 'key must be a safe integer, got 1.5'],
    [2 ** 53, 0, 'key must be a safe integer'],
    [Number.NaN, 0, 'got NaN'],
    [1, -1, 'position must be a non-negative safe integer, got -1'],
  ])('rejects append(%d, %d)', (key, position, message) => {
    using index = new TimeIndex();
    expect(() => index.append(key, position)).toThrow(message);
    expect(index.length).toBe(0);
  });

  it('rejects NaN queries', () => {
    using index = indexOf([1]);
    expect(() => index.lowerBound(Number.NaN)).toThrow(RangeError);
    expect(() => index.upperBound(Number.NaN)).toThrow(RangeError);
  });

  it('clears to empty and accepts any key afterwards', () => {
    using index = indexOf([10, 20]);
    index.clear();
    expect(index.length).toBe(0);
    expect(index.lowerBound(0)).toBe(0);
    index.append(1, 1);
    expect(index.keyAt(0)).toBe(1);
  });

  it('keeps independent instances apart while they grow', () => {
    const indexes = [new TimeIndex(), new TimeIndex({ initialCapacity: 1 }), new TimeIndex()];
    for (let i = 0; i < 5000; i++) {
      indexes.forEach((index, n) => {
        index.append(i * (n + 1), i + n);
      });
    }
    indexes.forEach((index, n) => {
      expect(index.length).toBe(5000);
      expect(index.keyAt(4999)).toBe(4999 * (n + 1));
      expect(index.positionAt(1234)).toBe(1234 + n);
      expect(index.lowerBound(100 * (n + 1))).toBe(100);
    });
    for (const index of indexes) index.dispose();
  });

  it('throws when used after dispose, and dispose is idempotent', () => {
    const index = indexOf([1, 2]);
    index.dispose();
    index.dispose();
    expect(index.disposed).toBe(true);
    expect(() => index.length).toThrow('TimeIndex: used after dispose()');
    expect(() => index.append(3, 3)).toThrow('used after dispose');
  });

  it('reuses freed memory: create/fill/dispose cycles do not grow WASM memory', () => {
    const cycle = () => {
      using index = new TimeIndex();
      for (let i = 0; i < 100_000; i++) index.append(i, i);
    };
    cycle();
    const after = schemaWasm().memory.buffer.byteLength;
    for (let n = 0; n < 20; n++) cycle();
    expect(schemaWasm().memory.buffer.byteLength).toBe(after);
  });
});

describe('TimeIndex serialization', () => {
  it('round-trips keys and positions', () => {
    fc.assert(
      fc.property(sortedKeysWithDuplicates, (keys) => {
        using index = indexOf(keys);
        const bytes = index.serialize();
        expect(bytes.length).toBe(TIME_INDEX_HEADER_LENGTH + 16 * keys.length);
        using copy = TimeIndex.deserialize(bytes);
        expect(copy.length).toBe(keys.length);
        keys.forEach((key, i) => {
          expect(copy.keyAt(i)).toBe(key);
          expect(copy.positionAt(i)).toBe(i * 7);
        });
      }),
    );
  });

  it('writes the documented header: magic DWTI, version 1, entry length 16, count', () => {
    using index = indexOf([3, 4]);
    const bytes = index.serialize();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('DWTI');
    expect(view.getUint32(0, true)).toBe(TIME_INDEX_MAGIC);
    expect(view.getUint16(4, true)).toBe(1);
    expect(view.getUint16(6, true)).toBe(16);
    expect(view.getUint32(8, true)).toBe(2);
    expect(view.getBigInt64(16, true)).toBe(3n);
    expect(view.getBigInt64(24, true)).toBe(0n);
    expect(view.getBigInt64(32, true)).toBe(4n);
    expect(view.getBigInt64(40, true)).toBe(7n);
  });

  it('rejects any single corrupted byte', () => {
    fc.assert(
      fc.property(
        sortedKeysWithDuplicates.filter((keys) => keys.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (keys, at, mask) => {
          using index = indexOf(keys);
          const bytes = index.serialize();
          bytes[at % bytes.length] ^= mask;
          expect(() => TimeIndex.deserialize(bytes)).toThrow(TimeIndexFormatError);
        },
      ),
    );
  });

  function corrupt(edit: (view: DataView) => void, length?: number): TimeIndexFormatError {
    using index = indexOf([1, 2, 3]);
    let bytes = index.serialize();
    edit(new DataView(bytes.buffer));
    if (length !== undefined) bytes = bytes.subarray(0, length);
    try {
      TimeIndex.deserialize(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(TimeIndexFormatError);
      return error as TimeIndexFormatError;
    }
    throw new Error('deserialize accepted corrupt bytes');
  }

  it('names a bad magic', () => {
    const error = corrupt((v) => v.setUint32(0, 0x12345678, true));
    expect(error.message).toBe(
      'TimeIndex.deserialize: bad magic 0x12345678 (expected 0x49545744, "DWTI"): not a Deepwater time index',
    );
    expect(error.reason).toBe('magic');
  });

  it('names an unsupported version and the supported one', () => {
    const error = corrupt((v) => v.setUint16(4, 2, true));
    expect(error.message).toContain('format version 2 is not supported (this build reads version 1)');
  });

  it('names a length that disagrees with the count', () => {
    expect(corrupt(() => {}, 16 + 16 * 2).message).toBe(
      'TimeIndex.deserialize: header says 3 entries (64 bytes) but 48 bytes were given',
    );
    expect(corrupt(() => {}, 5).message).toContain('5 bytes is shorter than the 16-byte header');
  });

  it('rejects entries out of order even with a matching checksum', () => {
    const bytes = new Uint8Array(16 + 32);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, TIME_INDEX_MAGIC, true);
    view.setUint16(4, 1, true);
    view.setUint16(6, 16, true);
    view.setUint32(8, 2, true);
    view.setBigInt64(16, 5n, true);
    view.setBigInt64(32, 4n, true);
    view.setUint32(12, crc32(bytes.subarray(16)), true);
    expect(() => TimeIndex.deserialize(bytes)).toThrow('key of entry 1 is lower than the key before it');
  });

  it('deserializes an empty index', () => {
    using index = new TimeIndex();
    using copy = TimeIndex.deserialize(index.serialize());
    expect(copy.length).toBe(0);
  });
});

// Independent CRC-32 (IEEE) so the test checks the documented checksum, not the WASM one.
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
