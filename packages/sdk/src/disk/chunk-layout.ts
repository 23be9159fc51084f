/**
 * Chunk file `<base>/feeds/<name>/chunk-<id, 10 digits>.dat` (see ARCHITECTURE.md, "Chunk files").
 * Preallocated to HEADER + recordsPerChunk * recordSize (rounded up to a page); records are packed
 * from DATA_OFFSET. Written by the feed's single writer; read lock-free by any process.
 *
 * header (4096 bytes: keeps the record area page-aligned for msync/madvise)
 *   0  u32 magic 'DWCK'          4  u32 version
 *   8  u32 chunkId              12  u32 recordSize
 *  16  u32 capacity (records)   20  u32 dataOffset (4096)
 *  24  f64 createdUs
 *  32  u32 sealed: 1 once the writer rotated away (end-of-chunk marker; the count is final)
 *  36  u32 headerCrc: CRC-32C of the immutable fields, bytes 0..32 then 40..48 (version 2)
 *  40  u64 firstSeq: seq of the chunk's first record = previous chunk's firstSeq + its count (v2)
 *  -- cache line 1
 *  64  u32 committedCount  THE PUBLICATION WORD: records [0, count) are complete. The writer
 *                          stores it with Atomics after writing the bytes; readers Atomics.load it.
 */
export const CHUNK_MAGIC = 0x4b435744; // 'DWCK'
export const CHUNK_VERSION = 2;
/** Chunk files of format version 1 (no firstSeq, no checksum): `deepwater migrate` upgrades them. */
export const CHUNK_VERSION_1 = 1;
export const CHUNK_HEADER_LENGTH = 4096;
export const DATA_OFFSET = CHUNK_HEADER_LENGTH;
export const PAGE_SIZE = 4096;

export const C_MAGIC_OFFSET = 0;
export const C_VERSION_OFFSET = 4;
export const C_CHUNK_ID_OFFSET = 8;
export const C_RECORD_SIZE_OFFSET = 12;
export const C_CAPACITY_OFFSET = 16;
export const C_DATA_OFFSET_OFFSET = 20;
export const C_CREATED_US_OFFSET = 24;
export const C_SEALED_OFFSET = 32;
export const C_HEADER_CRC_OFFSET = 36;
export const C_FIRST_SEQ_OFFSET = 40;
/** End of the immutable fields the header checksum covers (with the firstSeq run 40..48). */
export const C_IMMUTABLE_END = 32;
export const C_FIRST_SEQ_END = 48;
/** Seqs stay below 2^53, so a number holds them exactly. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const C_COMMITTED_COUNT_OFFSET = 64;
/** Int32Array index of the publication word. */
export const C_COMMITTED_COUNT_INDEX = C_COMMITTED_COUNT_OFFSET / 4;

export function chunkFileName(chunkId: number): string {
  return `chunk-${String(chunkId).padStart(10, '0')}.dat`;
}

/** Records per chunk for a requested data size: whole records, at least one. */
export function recordsPerChunk(chunkSizeBytes: number, recordSize: number): number {
  return Math.floor(chunkSizeBytes / recordSize);
}

export function chunkFileLength(capacity: number, recordSize: number): number {
  const bytes = CHUNK_HEADER_LENGTH + capacity * recordSize;
  return Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;
}
