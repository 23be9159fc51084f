// Generates, once per record layout and int64 mode, the class of scan()'s reusable record view:
// one getter per field reading straight from the bound memory (a chunk mapping or a ring scan's
// private copy), plus $seq, $ts, toTuple() and toObject(). The state lives in private fields so no
// internal name can clash with a field name; the scan drives it through the functions the class
// hands out (bind / step / expire), never through members a caller can see.

import { DeepwaterRangeError } from '@deepwater/errors';
import type { FieldLayout, FieldType, Int64Mode, RecordCodec, RecordLayout } from '@deepwater/schema-wasm';
import type { ReadTypes, UntypedRead } from '../format/typed-records.js';

/** The members of a scan's view besides its field getters. */
export interface ScanRecordMembers<R extends ReadTypes = UntypedRead> {
  /** The record's seq (its 0-based ordinal in the feed; for rings, the ring's sequence). */
  readonly $seq: number;
  /** The record's timestamp field, as its getter returns it (number, or bigint with int64: 'bigint'). */
  readonly $ts: number | bigint;
  /** A copy of the current record as a tuple (what range() returns), to keep past the step. */
  toTuple(): R['tuple'];
  /** A copy of the current record as an object (what range({ format: 'object' }) returns). */
  toObject(): R['object'];
}

/**
 * What a scan yields: the same object every step, valid until the next one. One getter per field,
 * typed from the schema for a typed feed (as range({ format: 'object' })'s values), `unknown` by
 * name otherwise. A field named toTuple or toObject shadows the method of that name.
 */
export type ScanRecord<R extends ReadTypes = UntypedRead> = ScanRecordMembers<R> & {
  readonly [K in keyof R['object']]: R['object'][K];
};

/** Drives one view: the scan, never the caller, holds these. */
export interface RecordViewControl {
  /** A fresh view, bound to nothing (step() is false until bind). */
  create(): ScanRecord;
  /**
   * Points `view` at `count` records starting at byte `byteOffset` of `buffer`, the first with
   * seq `firstSeq`, positioned before the first record (step() moves onto it).
   */
  bind(view: ScanRecord, buffer: ArrayBufferLike, byteOffset: number, count: number, firstSeq: number): void;
  /** Moves to the next bound record; false (and stays put) when the bound run is exhausted. */
  step(view: ScanRecord): boolean;
  /** Ends the view: it lets go of the memory and every member throws onExpired()'s error. */
  expire(view: ScanRecord, onExpired: () => Error): void;
}

const TWO_32 = '4294967296';
const MAX_SAFE = '9007199254740991';
const MAX_SAFE_HI = '2097151';

const DATAVIEW_GETTER: Readonly<Record<FieldType, string>> = {
  uint8: 'getUint8',
  char: 'getUint8',
  int8: 'getInt8',
  uint16: 'getUint16',
  int16: 'getInt16',
  uint32: 'getUint32',
  int32: 'getInt32',
  float32: 'getFloat32',
  float64: 'getFloat64',
  uint64: 'getBigUint64',
  int64: 'getBigInt64',
};

const is64 = (type: FieldType): boolean => type === 'uint64' || type === 'int64';

/**
 * The getter body of one field: one DataView read at the record's byte position (`p`, negative
 * when no record is current: before the first step, or once expired) plus the field's offset.
 */
function getterBody(field: FieldLayout, mode: Int64Mode): string {
  const live = 'const p = this.#p; if (p < 0) this.#expired();';
  const at = (offset: number) => (offset === 0 ? 'p' : `p + ${offset}`);
  if (is64(field.type) && mode === 'number') {
    const high = field.type === 'int64' ? 'getInt32' : 'getUint32';
    const check = field.type === 'uint64' ? `hi > ${MAX_SAFE_HI}` : `v > ${MAX_SAFE} || v < -${MAX_SAFE}`;
    return `${live} const dv = this.#dv;
    const hi = dv.${high}(${at(field.offset + 4)}, true);
    const v = hi * ${TWO_32} + dv.getUint32(${at(field.offset)}, true);
    if (${check}) this.#unsafe();
    return v;`;
  }
  const little = field.size > 1 ? ', true' : '';
  const read = `this.#dv.${DATAVIEW_GETTER[field.type]}(${at(field.offset)}${little})`;
  return field.type === 'char' ? `${live} return String.fromCharCode(${read});` : `${live} return ${read};`;
}

/**
 * The source of a factory returning the view class and the functions that drive it. The view
 * reads every field through one DataView over the bound run, at the current record's byte
 * position: per step, the caller's loop then reloads one object (the DataView) and one position,
 * where typed arrays per field width cost a length, base and data pointer load each, and an index
 * scaled per array (H34: a cold 10 M-record pass 112.7 -> 127.1 M rec/s on Node 20, main thread).
 */
function viewClassSource(layout: RecordLayout, mode: Int64Mode): string {
  const fields = layout.fields;
  const rs = layout.recordSize;
  // A computed key: `get constructor()` would be a syntax error, `get ["constructor"]()` is a getter.
  const key = (f: FieldLayout) => `[${JSON.stringify(f.name)}]`;
  const ts = fields[layout.tsIndex];
  const reads = fields.map((f) => `this[${JSON.stringify(f.name)}]`);
  const defined = new Set(fields.map((f) => f.name));
  const method = (name: string, body: string) => (defined.has(name) ? '' : `${name}() { ${body} }`);
  return `'use strict';
const EMPTY = new ArrayBuffer(0);
let bindView, stepView, expireView;
class RecordView {
  #p = -${rs};
  #end = 0;
  #seq0 = 0;
  #dv = new DataView(EMPTY);
  #codec;
  #onExpired = null;
  constructor(codec) { this.#codec = codec; }
  #expired() {
    throw this.#onExpired === null ? new DeepwaterRangeError('scan record read before its first step') : this.#onExpired();
  }
  #unsafe() {
    // The codec builds the same error range() would (naming the feed, the field and the value).
    this.#codec.decodeTuple(this.#dv, this.#p, 'number');
    throw new DeepwaterRangeError('unsafe 64-bit integer');
  }
  static {
    bindView = (v, buffer, byteOffset, count, seq0) => {
      v.#dv = new DataView(buffer, byteOffset, count * ${rs});
      v.#end = count * ${rs};
      v.#seq0 = seq0;
      v.#p = -${rs};
    };
    stepView = (v) => {
      const p = v.#p + ${rs};
      if (p >= v.#end) return false;
      v.#p = p;
      return true;
    };
    expireView = (v, onExpired) => {
      v.#onExpired = onExpired;
      v.#dv = new DataView(EMPTY);
      v.#end = 0;
      v.#p = -${rs};
    };
  }
  ${fields.map((f) => `get ${key(f)}() {\n    ${getterBody(f, mode)}\n  }`).join('\n  ')}
  get $seq() { const p = this.#p; if (p < 0) this.#expired(); return this.#seq0 + p / ${rs}; }
  get $ts() { return this[${JSON.stringify(ts.name)}]; }
  ${method('toTuple', `return [${reads.join(', ')}];`)}
  ${method('toObject', `return { ${fields.map((f, i) => `${key(f)}: ${reads[i]}`).join(', ')} };`)}
}
return { RecordView, bind: bindView, step: stepView, expire: expireView };`;
}

type ViewFactory = () => {
  RecordView: new (codec: RecordCodec) => ScanRecord;
  bind: RecordViewControl['bind'];
  step: RecordViewControl['step'];
  expire: (view: ScanRecord, onExpired: () => Error) => void;
};

interface GeneratedView extends ReturnType<ViewFactory> {
  /** See shapeAnchorOf(). */
  anchor: ScanRecord;
}

/**
 * An expired view kept for as long as its class: V8 holds the hidden class (map) an instance gets
 * from its field initialisers only weakly, through the class's transition tree. Without a living
 * instance, a gc() between two scans collects it and deoptimises every loop that inlined the
 * getters ("weak objects"): the next scan then ran unoptimised, boxing each double a getter
 * returned (16 bytes per field read, 13 MiB of heap growth over 10 M records in the bench).
 * Taken through bind, step and expire so its map is the one every view ends with.
 */
function shapeAnchorOf(generated: ReturnType<ViewFactory>, codec: RecordCodec): ScanRecord {
  const anchor = new generated.RecordView(codec);
  const size = codec.layout.recordSize;
  generated.bind(anchor, new ArrayBuffer(size), 0, 1, 0);
  generated.step(anchor);
  generated.expire(anchor, () => new DeepwaterRangeError('the shape anchor of a scan view is never read'));
  return anchor;
}

// Generated code depends only on the layout and the mode: feeds with equal layouts share it.
const factories = new Map<string, GeneratedView>();

function classFor(codec: RecordCodec, mode: Int64Mode): GeneratedView {
  const layout = codec.layout;
  const key = `${layout.fmt}|${layout.fields.map((f) => f.name).join(',')}|${layout.tsIndex}|${mode}`;
  let generated = factories.get(key);
  if (generated === undefined) {
    const made = (new Function(viewClassSource(layout, mode)) as ViewFactory)();
    generated = { ...made, anchor: shapeAnchorOf(made, codec) };
    factories.set(key, generated);
  }
  return generated;
}

// One control per codec and mode: a scan's hot loop calls these functions, and optimised code that
// embedded one scan's own closure would be thrown away (deoptimised) once that scan is collected.
const controls = new WeakMap<RecordCodec, Map<Int64Mode, RecordViewControl>>();

/** The view class of `codec`'s layout in `mode` (any run, at any byte alignment). */
export function recordViewControl(codec: RecordCodec, mode: Int64Mode): RecordViewControl {
  let byMode = controls.get(codec);
  if (byMode === undefined) {
    byMode = new Map();
    controls.set(codec, byMode);
  }
  const cached = byMode.get(mode);
  if (cached !== undefined) return cached;
  const generated = classFor(codec, mode);
  const control: RecordViewControl = {
    create: () => new generated.RecordView(codec),
    bind: generated.bind,
    step: generated.step,
    expire: generated.expire,
  };
  byMode.set(mode, control);
  return control;
}
