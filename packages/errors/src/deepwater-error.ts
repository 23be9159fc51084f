import type { DeepwaterErrorCode } from './codes.js';

/** What an error is about. Every field is optional; set the ones the failure concerns. */
export interface DeepwaterErrorContext {
  /** The feed (or ring) the failure concerns. */
  feed?: string;
  /** The file, directory or shared-memory object. */
  path?: string;
  /** The process involved (e.g. the writer holding a lock). */
  pid?: number;
  /** The schema field or option the failure concerns. */
  field?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Marks every member of the family, including the TypeError/RangeError subclasses that cannot
 * inherit from DeepwaterError. A registered symbol, so two copies of this package (two versions
 * in one node_modules tree) still recognise each other's errors.
 */
const FAMILY = Symbol.for('@deepwater/errors.family');

interface FamilyFields {
  readonly code: DeepwaterErrorCode;
  readonly feed?: string;
  readonly path?: string;
  readonly pid?: number;
  readonly field?: string;
}

function assignContext(error: FamilyFields, code: DeepwaterErrorCode, context: DeepwaterErrorContext): void {
  const target = error as { -readonly [K in keyof FamilyFields]: FamilyFields[K] };
  target.code = code;
  if (context.feed !== undefined) target.feed = context.feed;
  if (context.path !== undefined) target.path = context.path;
  if (context.pid !== undefined) target.pid = context.pid;
  if (context.field !== undefined) target.field = context.field;
}

function causeOption(context: DeepwaterErrorContext): ErrorOptions | undefined {
  return context.cause === undefined ? undefined : { cause: context.cause };
}

const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

/**
 * The base of every error a Deepwater package throws. Callers branch on `code` (stable), never on
 * the message. `err instanceof DeepwaterError` also holds for DeepwaterTypeError and
 * DeepwaterRangeError (misuse), which stay a TypeError / RangeError.
 */
export class DeepwaterError extends Error {
  declare readonly code: DeepwaterErrorCode;
  declare readonly feed?: string;
  declare readonly path?: string;
  declare readonly pid?: number;
  declare readonly field?: string;

  constructor(code: DeepwaterErrorCode, message: string, context: DeepwaterErrorContext = {}) {
    super(message, causeOption(context));
    this.name = 'DeepwaterError';
    assignContext(this, code, context);
  }

  /** Any member of the family for DeepwaterError itself; the ordinary prototype check for subclasses. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` was asked about.
    if (this !== DeepwaterError) return ordinaryInstanceOf.call(this, value);
    return typeof value === 'object' && value !== null && (value as { [FAMILY]?: unknown })[FAMILY] === true;
  }
}

/** A wrong type of argument, option or value (code ERR_INVALID_ARGUMENT). Also `instanceof DeepwaterError`. */
export class DeepwaterTypeError extends TypeError {
  declare readonly code: DeepwaterErrorCode;
  declare readonly feed?: string;
  declare readonly path?: string;
  declare readonly pid?: number;
  declare readonly field?: string;

  constructor(message: string, context: DeepwaterErrorContext = {}) {
    super(message, causeOption(context));
    this.name = 'TypeError';
    assignContext(this, 'ERR_INVALID_ARGUMENT', context);
  }
}

/** A value of the right type outside what is allowed (code ERR_OUT_OF_RANGE). Also `instanceof DeepwaterError`. */
export class DeepwaterRangeError extends RangeError {
  declare readonly code: DeepwaterErrorCode;
  declare readonly feed?: string;
  declare readonly path?: string;
  declare readonly pid?: number;
  declare readonly field?: string;

  constructor(message: string, context: DeepwaterErrorContext = {}) {
    super(message, causeOption(context));
    this.name = 'RangeError';
    assignContext(this, 'ERR_OUT_OF_RANGE', context);
  }
}

// On the prototypes, so marking costs nothing per error.
for (const family of [DeepwaterError, DeepwaterTypeError, DeepwaterRangeError]) {
  Object.defineProperty(family.prototype, FAMILY, { value: true });
}
