// Raw exports of schema.wasm. Everything crosses the boundary as numbers and pointers into
// linear memory; src/wasm.ts is the only module that instantiates it.

export { compileLayout, layoutInputPtr, layoutOutputPtr } from './layout';
export { packRecord } from './packer';
export {
  indexAppend,
  indexClear,
  indexCreate,
  indexDeserialize,
  indexFree,
  indexKeyAt,
  indexLastDetail,
  indexLastHandle,
  indexLength,
  indexLowerBound,
  indexPositionAt,
  indexSerialize,
  indexSerializedLength,
  indexUpperBound,
} from './time-index';

/** Unmanaged allocation for JS-side staging buffers (index serialization, packer). */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
