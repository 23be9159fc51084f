import { DeepwaterTypeError } from '@deepwater/errors';
import type { FeedConfig, FeedFieldSpec } from '@deepwater/sdk';
import {
  type DataType,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Schema,
  Timestamp,
  TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';

/** Schema metadata keys: the whole feed spec, and per field its Deepwater type and description. */
export const SPEC_KEY = 'deepwater:spec';
export const TYPE_KEY = 'deepwater:type';
export const DESCRIPTION_KEY = 'description';

export type ValueType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'char';

const TIME_UNITS = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
};

/** A spec field that holds a value (padding `_N` fields hold none and are not exported). */
export function isValueField(field: FeedFieldSpec): boolean {
  return !field.type.startsWith('_');
}

/**
 * The Arrow type of a field: integers and floats as themselves, `char` as a one-character utf8
 * string (its byte is a Latin-1 code point), the time column as `timestamp` in the feed's unit.
 */
export function arrowTypeOf(type: string, isTime: boolean, tsUnit: FeedConfig['tsUnit']): DataType {
  if (isTime) return new Timestamp(TIME_UNITS[tsUnit]);
  switch (type as ValueType) {
    case 'uint8':
      return new Uint8();
    case 'int8':
      return new Int8();
    case 'uint16':
      return new Uint16();
    case 'int16':
      return new Int16();
    case 'uint32':
      return new Uint32();
    case 'int32':
      return new Int32();
    case 'uint64':
      return new Uint64();
    case 'int64':
      return new Int64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'char':
      return new Utf8();
  }
  throw new DeepwaterTypeError(`field type "${type}" has no Arrow mapping`, { field: type });
}

/** The feed's Arrow schema: value fields in order, descriptions and the spec as metadata. */
export function arrowSchemaOf(spec: FeedConfig): Schema {
  const fields = spec.fields.filter(isValueField).map((field) => {
    const metadata = new Map<string, string>([[TYPE_KEY, field.type]]);
    if (field.desc !== undefined) metadata.set(DESCRIPTION_KEY, field.desc);
    return new Field(
      field.name,
      arrowTypeOf(field.type, field.name === spec.tsCol, spec.tsUnit),
      false,
      metadata,
    );
  });
  return new Schema(fields, new Map([[SPEC_KEY, JSON.stringify(spec)]]));
}

const UNIT_NAMES: Record<number, FeedConfig['tsUnit']> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

/** The Deepwater type a column of Arrow type `type` can fill (undefined: none). */
export function valueTypeOfArrow(type: DataType): ValueType | undefined {
  switch (type.typeId) {
    case Type.Int: {
      const { bitWidth, isSigned } = type as Int8;
      return `${isSigned ? 'int' : 'uint'}${bitWidth}` as ValueType;
    }
    case Type.Float: {
      const precision = (type as Float32).precision;
      return precision === 1 ? 'float32' : precision === 2 ? 'float64' : undefined;
    }
    case Type.Timestamp:
      return 'int64';
    case Type.Utf8:
      return 'char';
    default:
      return undefined;
  }
}

export function timeUnitOfArrow(type: DataType): FeedConfig['tsUnit'] | undefined {
  return type.typeId === Type.Timestamp ? UNIT_NAMES[(type as Timestamp).unit] : undefined;
}
