// Types only: how a feed spec declared with defineFeed() maps to the values its writers take and
// its readers return. Nothing here exists at run time, so typed feeds cost nothing on hot paths.
import type { Int64Mode } from '@deepwater/schema-wasm';

/** What a reader yields per format. The defaults are the untyped shapes of name-based calls. */
export interface ReadTypes {
  tuple: unknown[];
  object: Record<string, unknown>;
  columns: Record<string, ArrayBufferView>;
}

/** What a writer takes. The defaults are the untyped shapes of name-based calls. */
export interface WriteTypes {
  /** The parameters of writeValues(). */
  values: readonly unknown[];
  tuple: ArrayLike<unknown>;
  dict: Readonly<Record<string, unknown>>;
}

export interface UntypedRead extends ReadTypes {
  tuple: unknown[];
  object: Record<string, unknown>;
  columns: Record<string, ArrayBufferView>;
}

export interface UntypedWrite extends WriteTypes {
  values: unknown[];
  tuple: ArrayLike<unknown>;
  dict: Readonly<Record<string, unknown>>;
}

interface DeclaredField {
  readonly name: string;
  readonly type: string;
}

/** Fields in declaration order without padding (`_N`), as a tuple; tail-recursive so wide schemas work. */
type ValueFields<F extends readonly unknown[], Acc extends DeclaredField[] = []> = F extends readonly [
  infer Head,
  ...infer Rest,
]
  ? Head extends { readonly type: `_${string}` }
    ? ValueFields<Rest, Acc>
    : ValueFields<Rest, [...Acc, Head & DeclaredField]>
  : Acc;

/** A spec whose field list and types are literal (defineFeed / `as const`), so types can follow it. */
type LiteralFields<S> = S extends { readonly fields: infer F extends readonly unknown[] }
  ? number extends F['length']
    ? never
    : ValueFields<F>
  : never;

type SmallInt = 'uint8' | 'uint16' | 'uint32' | 'int8' | 'int16' | 'int32';
type Float = 'float32' | 'float64';

/** The value a writer accepts for a field type (64-bit: a safe integer or a bigint; char: one character or a byte). */
export type WriteValueOf<T extends string> = T extends SmallInt | Float
  ? number
  : T extends 'uint64' | 'int64'
    ? number | bigint
    : T extends 'char'
      ? string | number
      : unknown;

/** The value a reader returns for a field type in an int64 mode. */
export type ReadValueOf<T extends string, M extends Int64Mode = 'number'> = T extends SmallInt | Float
  ? number
  : T extends 'uint64' | 'int64'
    ? M extends 'bigint'
      ? bigint
      : number
    : T extends 'char'
      ? string
      : unknown;

interface ColumnArrays {
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
  char: Uint8Array;
}

/** The typed array a columnar read returns for a field type (64-bit: Float64Array in 'number' mode). */
export type ColumnOf<T extends string, M extends Int64Mode = 'number'> = T extends keyof ColumnArrays
  ? ColumnArrays[T]
  : T extends 'uint64'
    ? M extends 'bigint'
      ? BigUint64Array
      : Float64Array
    : T extends 'int64'
      ? M extends 'bigint'
        ? BigInt64Array
        : Float64Array
      : ArrayBufferView;

type ReadTupleOf<F extends readonly DeclaredField[], M extends Int64Mode> = {
  -readonly [I in keyof F]: ReadValueOf<F[I]['type'], M>;
};
type WriteTupleOf<F extends readonly DeclaredField[]> = {
  -readonly [I in keyof F]: WriteValueOf<F[I]['type']>;
};

/** The read shapes of a typed spec `S` in int64 mode `M`; the untyped shapes for any other spec. */
export type ReadTypesOf<S, M extends Int64Mode = 'number'> = [LiteralFields<S>] extends [never]
  ? UntypedRead
  : LiteralFields<S> extends infer F extends readonly DeclaredField[]
    ? {
        tuple: ReadTupleOf<F, M>;
        object: { [E in F[number] as E['name']]: ReadValueOf<E['type'], M> };
        columns: { [E in F[number] as E['name']]: ColumnOf<E['type'], M> };
      }
    : UntypedRead;

/** The write shapes of a typed spec `S`; the untyped shapes for any other spec. */
export type WriteTypesOf<S> = [LiteralFields<S>] extends [never]
  ? UntypedWrite
  : LiteralFields<S> extends infer F extends readonly DeclaredField[]
    ? {
        values: WriteTupleOf<F>;
        tuple: Readonly<WriteTupleOf<F>>;
        dict: { readonly [E in F[number] as E['name']]: WriteValueOf<E['type']> };
      }
    : UntypedWrite;
