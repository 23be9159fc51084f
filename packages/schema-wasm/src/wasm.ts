// The only module that loads schema.wasm. Loading is synchronous because the sdk compiles
// layouts inside synchronous constructors (new Platform(), createFeed()).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeepwaterError } from '@deepwater/errors';

// @types/node 20 does not declare the WebAssembly global (it lives in lib.dom), so the two
// constructors used here are typed locally rather than pulling DOM types into the package.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmGlobal {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

/** Raw exports of assembly/index.ts. Pointers are byte offsets into `memory`. */
export interface SchemaWasm {
  readonly memory: WasmMemory;
  alloc(size: number): number;
  free(ptr: number): void;
  layoutInputPtr(length: number): number;
  layoutOutputPtr(): number;
  compileLayout(inputLength: number): number;
  packRecord(descriptorPtr: number, fieldCount: number, valuesPtr: number, recordPtr: number): void;
  indexCreate(capacity: number): number;
  indexFree(handle: number): void;
  indexClear(handle: number): void;
  indexLength(handle: number): number;
  indexAppend(handle: number, key: number, position: number): number;
  indexKeyAt(handle: number, i: number): number;
  indexPositionAt(handle: number, i: number): number;
  indexLowerBound(handle: number, ts: number): number;
  indexUpperBound(handle: number, ts: number): number;
  indexSerializedLength(handle: number): number;
  indexSerialize(handle: number, out: number): void;
  indexDeserialize(bytes: number, byteLength: number): number;
  indexLastHandle(): number;
  indexLastDetail(): number;
}

// Beside the compiled JS in dist/; the second candidate serves tests that import src/.
const CANDIDATES = [
  new URL('./schema.wasm', import.meta.url),
  new URL('../dist/schema.wasm', import.meta.url),
];

let instance: SchemaWasm | undefined;

function readAbortMessage(memory: WasmMemory, ptr: number): string {
  if (ptr === 0) return 'abort';
  // AssemblyScript strings are UTF-16 with their byte length 4 bytes before the data.
  const byteLength = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, byteLength >>> 1));
}

function load(): SchemaWasm {
  const url = CANDIDATES.find((candidate) => existsSync(fileURLToPath(candidate)));
  if (url === undefined) {
    throw new DeepwaterError(
      'ERR_INTERNAL',
      `schema.wasm not found (looked at ${CANDIDATES.map((c) => fileURLToPath(c)).join(', ')}); ` +
        'run `pnpm --filter @deepwater/schema-wasm build`',
    );
  }
  const module = new Module(readFileSync(url));
  let memory: WasmMemory | undefined;
  const imports = {
    env: {
      abort(messagePtr: number, _filePtr: number, line: number, column: number): never {
        const message = memory === undefined ? 'abort' : readAbortMessage(memory, messagePtr);
        throw new DeepwaterError(
          'ERR_INTERNAL',
          `schema.wasm aborted: ${message} (assembly line ${line}:${column})`,
        );
      },
    },
  };
  const exports = new Instance(module, imports).exports as unknown as SchemaWasm;
  memory = exports.memory;
  return exports;
}

/** The process-wide schema.wasm instance, loaded on first use. */
export function schemaWasm(): SchemaWasm {
  instance ??= load();
  return instance;
}
