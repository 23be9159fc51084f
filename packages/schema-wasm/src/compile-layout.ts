import { DeepwaterError } from '@deepwater/errors';
import { SchemaError, sentence } from './errors.js';
import { fieldTypeOfKind, KIND_PAD } from './kinds.js';
import { LAYOUT_OK, layoutError } from './layout-errors.js';
import { writeLayoutInput } from './layout-input.js';
import type {
  CompileLayoutOptions,
  FieldLayout,
  FieldSpec,
  PaddingLayout,
  RecordLayout,
} from './layout-types.js';
import { schemaWasm } from './wasm.js';

// Output word offsets written by assembly/layout.ts.
const OUT_STATUS = 0;
const OUT_ERROR_FIELD = 1;
const OUT_ERROR_DETAIL = 2;
const OUT_RECORD_SIZE = 3;
const OUT_FIELD_COUNT = 4;
const OUT_TS_FIELD = 6;
const OUT_TS_VALUE_INDEX = 7;
const OUT_FMT_LENGTH = 8;
const OUT_HEADER_WORDS = 10;
const OUT_FIELD_WORDS = 3;

/** Checks the JS shapes WASM cannot see (non-arrays, non-strings) before encoding. */
function checkShapes(fields: unknown, tsCol: unknown, feed: string | undefined): readonly FieldSpec[] {
  if (!Array.isArray(fields)) {
    throw new SchemaError(sentence(feed, 'fields must be an array of { name, type }'), { feed });
  }
  fields.forEach((field: unknown, index) => {
    const spec = field as Partial<FieldSpec> | null;
    if (spec === null || typeof spec !== 'object') {
      throw new SchemaError(sentence(feed, `fields[${index}] must be an object { name, type }`), { feed });
    }
    for (const key of ['name', 'type'] as const) {
      if (typeof spec[key] !== 'string') {
        throw new SchemaError(
          sentence(feed, `fields[${index}].${key} must be a string, got ${describe(spec[key])}`),
          { feed, field: typeof spec.name === 'string' ? spec.name : undefined },
        );
      }
    }
    if (spec.desc !== undefined && typeof spec.desc !== 'string') {
      throw new SchemaError(sentence(feed, `fields[${index}].desc must be a string when given`), {
        feed,
        field: spec.name,
      });
    }
  });
  if (tsCol !== undefined && tsCol !== null && typeof tsCol !== 'string') {
    throw new SchemaError(sentence(feed, `tsCol must be a field name, got ${describe(tsCol)}`), { feed });
  }
  return fields as FieldSpec[];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Compiles ordered fields into a record layout. The rules (types, names, padding, tsCol,
 * size bound) run in schema.wasm; this wrapper encodes the input and words the errors.
 * Throws SchemaError naming the feed and field.
 */
export function compileLayout(
  fields: readonly FieldSpec[],
  tsCol: string,
  options: CompileLayoutOptions = {},
): RecordLayout {
  const feed = options.feedName;
  const specs = checkShapes(fields, tsCol, feed);
  const ts = typeof tsCol === 'string' ? tsCol : '';
  const wasm = schemaWasm();
  const inputLength = writeLayoutInput(wasm, specs, ts);
  const status = wasm.compileLayout(inputLength);
  // Views are made after the call: compiling may grow (and so detach) the memory buffer.
  const words = new Uint32Array(wasm.memory.buffer, wasm.layoutOutputPtr());
  const signed = new Int32Array(words.buffer, words.byteOffset);
  if (status !== LAYOUT_OK) {
    throw layoutError(status, signed[OUT_ERROR_FIELD], signed[OUT_ERROR_DETAIL], specs, ts, feed);
  }
  if (words[OUT_STATUS] !== LAYOUT_OK)
    throw new DeepwaterError('ERR_INTERNAL', 'schema.wasm output disagrees with its status');

  const fieldCount = words[OUT_FIELD_COUNT];
  const valueFields: FieldLayout[] = [];
  const padding: PaddingLayout[] = [];
  for (let f = 0; f < fieldCount; f++) {
    const entry = OUT_HEADER_WORDS + f * OUT_FIELD_WORDS;
    const kind = words[entry];
    const offset = words[entry + 1];
    const size = words[entry + 2];
    if (kind === KIND_PAD) {
      padding.push({ offset, size });
      continue;
    }
    const layout: FieldLayout = {
      name: specs[f].name,
      type: fieldTypeOfKind(kind),
      offset,
      size,
      index: valueFields.length,
    };
    if (specs[f].desc !== undefined) layout.desc = specs[f].desc;
    valueFields.push(layout);
  }
  const fmtStart = words.byteOffset + (OUT_HEADER_WORDS + fieldCount * OUT_FIELD_WORDS) * 4;
  const fmt = new TextDecoder().decode(new Uint8Array(words.buffer, fmtStart, words[OUT_FMT_LENGTH]));
  const tsField = valueFields[words[OUT_TS_VALUE_INDEX]];
  if (specs[words[OUT_TS_FIELD]].name !== tsField.name)
    throw new DeepwaterError('ERR_INTERNAL', 'schema.wasm timestamp mismatch');

  return {
    recordSize: words[OUT_RECORD_SIZE],
    fmt,
    fields: valueFields,
    padding,
    tsCol: tsField.name,
    tsIndex: tsField.index,
    tsOffset: tsField.offset,
    tsType: tsField.type as 'uint64' | 'int64',
  };
}
