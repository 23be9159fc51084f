import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { crc32c } from '../format/crc32c.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import * as C from './chunk-layout.js';

/** What a chunk of this feed must look like: checked on open, so a damaged header word is an error, not a misread. */
export interface ChunkGeometry {
  recordSize: number;
  capacity: number;
}

/**
 * ChunkFile — one mapped chunk. The writer creates it (header complete before the chunk is
 * registered) and appends; readers map it read-only and acquire-load the committed count.
 */
export class ChunkFile {
  readonly id: number;
  readonly path: string;
  readonly mapping: Mapping;
  readonly view: DataView;
  readonly bytes: Uint8Array;
  /** Header words for Atomics (index C_COMMITTED_COUNT_INDEX is the publication word). */
  readonly headerWords: Int32Array;
  readonly recordSize: number;
  readonly capacity: number;
  /** Records the mapping can hold: a count word above it (damage) never reads past the file. */
  readonly countLimit: number;
  /** Seq of the chunk's first record (immutable, covered by the header checksum). */
  readonly firstSeq: number;

  private constructor(id: number, path: string, mapping: Mapping) {
    this.id = id;
    this.path = path;
    this.mapping = mapping;
    this.view = new DataView(mapping.buffer);
    this.bytes = new Uint8Array(mapping.buffer);
    this.headerWords = new Int32Array(mapping.buffer, 0, C.CHUNK_HEADER_LENGTH / 4);
    this.recordSize = this.view.getUint32(C.C_RECORD_SIZE_OFFSET, true);
    this.capacity = this.view.getUint32(C.C_CAPACITY_OFFSET, true);
    const inFile = this.recordSize > 0 ? Math.floor((mapping.size - C.DATA_OFFSET) / this.recordSize) : 0;
    this.countLimit = Math.max(0, Math.min(this.capacity, inFile));
    this.firstSeq = readSeq(this.view, C.C_FIRST_SEQ_OFFSET);
  }

  static pathFor(feedDir: string, id: number): string {
    return join(feedDir, C.chunkFileName(id));
  }

  /**
   * Creates (or re-initialises a never-registered leftover of) chunk `id`. Readers cannot see it
   * until the writer registers it, so rewriting the header here is safe.
   */
  static create(
    feedDir: string,
    id: number,
    recordSize: number,
    capacity: number,
    firstSeq: number,
    files: { mode?: number; feed?: string } = {},
  ): ChunkFile {
    const path = ChunkFile.pathFor(feedDir, id);
    const mapping = mapInBase(
      path,
      { size: C.chunkFileLength(capacity, recordSize), create: true, mode: files.mode ?? DEFAULT_FILE_MODE },
      files.feed,
    );
    const view = new DataView(mapping.buffer);
    const words = new Int32Array(mapping.buffer, 0, C.CHUNK_HEADER_LENGTH / 4);
    Atomics.store(words, C.C_COMMITTED_COUNT_INDEX, 0);
    view.setUint32(C.C_SEALED_OFFSET, 0, true);
    view.setUint32(C.C_VERSION_OFFSET, C.CHUNK_VERSION, true);
    view.setUint32(C.C_CHUNK_ID_OFFSET, id, true);
    view.setUint32(C.C_RECORD_SIZE_OFFSET, recordSize, true);
    view.setUint32(C.C_CAPACITY_OFFSET, capacity, true);
    view.setUint32(C.C_DATA_OFFSET_OFFSET, C.DATA_OFFSET, true);
    view.setFloat64(C.C_CREATED_US_OFFSET, Date.now() * 1000, true);
    writeSeq(view, C.C_FIRST_SEQ_OFFSET, firstSeq);
    view.setUint32(C.C_MAGIC_OFFSET, C.CHUNK_MAGIC, true);
    view.setUint32(C.C_HEADER_CRC_OFFSET, chunkHeaderCrc(view), true);
    return new ChunkFile(id, path, mapping);
  }

  /** Maps an existing chunk; undefined when its file is gone (removed by retention). */
  static open(
    feedDir: string,
    id: number,
    feed: string,
    options: { readOnly: boolean; geometry?: ChunkGeometry },
  ): ChunkFile | undefined {
    const path = ChunkFile.pathFor(feedDir, id);
    let mapping: Mapping;
    try {
      mapping = mapInBase(path, { readOnly: options.readOnly }, feed);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT' || !existsSync(path)) return undefined;
      throw error;
    }
    const view = new DataView(mapping.buffer);
    const magic = mapping.size >= C.CHUNK_HEADER_LENGTH ? view.getUint32(C.C_MAGIC_OFFSET, true) : 0;
    const version = magic === C.CHUNK_MAGIC ? view.getUint32(C.C_VERSION_OFFSET, true) : 0;
    const storedId = magic === C.CHUNK_MAGIC ? view.getUint32(C.C_CHUNK_ID_OFFSET, true) : 0;
    if (magic !== C.CHUNK_MAGIC || storedId !== id) {
      mapping.close();
      throw new DeepwaterError('ERR_CORRUPT', `Feed "${feed}": ${path} is not chunk ${id} (bad header)`, {
        feed,
        path,
      });
    }
    if (version !== C.CHUNK_VERSION) {
      mapping.close();
      throw new DeepwaterError(
        'ERR_FORMAT_VERSION',
        `Feed "${feed}": ${path} has chunk version ${version}; this @deepwater/sdk reads version ${C.CHUNK_VERSION}` +
          (version < C.CHUNK_VERSION
            ? '; upgrade the base with `deepwater migrate -b BASE`'
            : '; upgrade @deepwater/sdk'),
        { feed, path },
      );
    }
    // The geometry first: a changed word it can name says more than "the checksum fails".
    const problem =
      (options.geometry ? geometryProblem(view, mapping.size, options.geometry) : undefined) ??
      headerProblem(view);
    if (problem !== undefined) {
      mapping.close();
      throw new DeepwaterError(
        'ERR_CORRUPT',
        `Feed "${feed}": ${path} header ${problem}; run \`deepwater repair --feed ${feed}\``,
        { feed, path },
      );
    }
    return new ChunkFile(id, path, mapping);
  }

  /**
   * Acquire-load of the publication word: records [0, n) are complete. Unsigned, and never more
   * than the file holds (a damaged word past 2^31 or past the capacity must not hide or overrun data).
   */
  committedAcquire(): number {
    return Math.min(Atomics.load(this.headerWords, C.C_COMMITTED_COUNT_INDEX) >>> 0, this.countLimit);
  }

  /** The publication word as stored (unsigned), for repair's comparisons. */
  committedWord(): number {
    return Atomics.load(this.headerWords, C.C_COMMITTED_COUNT_INDEX) >>> 0;
  }

  get sealed(): boolean {
    return this.view.getUint32(C.C_SEALED_OFFSET, true) === 1;
  }

  /** Writer only: the end-of-chunk marker, after the final count is published. */
  markSealed(): void {
    this.view.setUint32(C.C_SEALED_OFFSET, 1, true);
  }

  recordOffset(index: number): number {
    return C.DATA_OFFSET + index * this.recordSize;
  }

  close(): void {
    this.mapping.close();
  }
}

/** CRC-32C of a v2 chunk header's immutable fields (bytes 0..32, then firstSeq at 40..48). */
export function chunkHeaderCrc(view: DataView): number {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, C.C_FIRST_SEQ_END);
  return crc32c(
    bytes.subarray(0, C.C_IMMUTABLE_END),
    bytes.subarray(C.C_FIRST_SEQ_OFFSET, C.C_FIRST_SEQ_END),
  );
}

/** A u64 seq as a number; values past 2^53 (damage: seqs never get there) read as NaN. */
export function readSeq(view: DataView, offset: number): number {
  const hi = view.getUint32(offset + 4, true);
  if (hi > 0x1fffff) return Number.NaN;
  return hi * 0x1_0000_0000 + view.getUint32(offset, true);
}

export function writeSeq(view: DataView, offset: number, seq: number): void {
  view.setUint32(offset, seq % 0x1_0000_0000, true);
  view.setUint32(offset + 4, Math.floor(seq / 0x1_0000_0000), true);
}

/**
 * Why a v2 chunk header fails its own checks (checksum, field ranges), or undefined. The checksum
 * comes first: a header that fails it cannot be trusted for any field, so the message names it.
 */
export function headerProblem(view: DataView): string | undefined {
  const stored = view.getUint32(C.C_HEADER_CRC_OFFSET, true);
  const computed = chunkHeaderCrc(view);
  if (stored !== computed) {
    return `field headerCrc is 0x${stored.toString(16).padStart(8, '0')}, the header's fields sum to 0x${computed.toString(16).padStart(8, '0')} (CRC-32C)`;
  }
  const firstSeq = readSeq(view, C.C_FIRST_SEQ_OFFSET);
  if (!(firstSeq <= C.MAX_SEQ)) return 'field firstSeq is past 2^53';
  const sealed = view.getUint32(C.C_SEALED_OFFSET, true);
  if (sealed > 1) return `field sealed is ${sealed}, expected 0 or 1`;
  return undefined;
}

/** Why a chunk header disagrees with the feed's geometry or its own file length, or undefined. */
export function geometryProblem(
  view: DataView,
  fileLength: number,
  expected: ChunkGeometry,
): string | undefined {
  const recordSize = view.getUint32(C.C_RECORD_SIZE_OFFSET, true);
  const capacity = view.getUint32(C.C_CAPACITY_OFFSET, true);
  const dataOffset = view.getUint32(C.C_DATA_OFFSET_OFFSET, true);
  if (recordSize !== expected.recordSize) {
    return `field recordSize is ${recordSize}, the feed's record size is ${expected.recordSize}`;
  }
  if (capacity !== expected.capacity) {
    return `field capacity is ${capacity}, the feed's chunks hold ${expected.capacity} records`;
  }
  if (dataOffset !== C.DATA_OFFSET) return `field dataOffset is ${dataOffset}, expected ${C.DATA_OFFSET}`;
  const committed = view.getUint32(C.C_COMMITTED_COUNT_OFFSET, true);
  if (committed > capacity) return `field committedCount is ${committed}, above the capacity ${capacity}`;
  if (fileLength < C.DATA_OFFSET + committed * recordSize) {
    return `field committedCount is ${committed} but the file (${fileLength} bytes) holds fewer records`;
  }
  return undefined;
}
