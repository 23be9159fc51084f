import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping } from '@deepwater/storage-native';
import { DeepwaterError } from '../errors.js';
import { DEFAULT_FILE_MODE, mapInBase } from '../platform/base-fs.js';
import * as C from './layout.js';

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

  private constructor(id: number, path: string, mapping: Mapping) {
    this.id = id;
    this.path = path;
    this.mapping = mapping;
    this.view = new DataView(mapping.buffer);
    this.bytes = new Uint8Array(mapping.buffer);
    this.headerWords = new Int32Array(mapping.buffer, 0, C.CHUNK_HEADER_LENGTH / 4);
    this.recordSize = this.view.getUint32(C.C_RECORD_SIZE_OFFSET, true);
    this.capacity = this.view.getUint32(C.C_CAPACITY_OFFSET, true);
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
    view.setUint32(C.C_MAGIC_OFFSET, C.CHUNK_MAGIC, true);
    return new ChunkFile(id, path, mapping);
  }

  /** Maps an existing chunk; undefined when its file is gone (removed by retention). */
  static open(
    feedDir: string,
    id: number,
    feed: string,
    options: { readOnly: boolean },
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
        `Feed "${feed}": ${path} has chunk version ${version}; this @deepwater/sdk reads version ${C.CHUNK_VERSION}`,
        { feed, path },
      );
    }
    return new ChunkFile(id, path, mapping);
  }

  /** Acquire-load of the publication word: records [0, n) are complete. */
  committedAcquire(): number {
    return Atomics.load(this.headerWords, C.C_COMMITTED_COUNT_INDEX);
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
