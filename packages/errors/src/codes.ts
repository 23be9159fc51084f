/**
 * Every stable `code` a Deepwater package throws besides errno names (the sdk README's error table
 * explains each, and a test keeps the two in step). A new code is added here first, so one list
 * stays the truth for every package.
 */
export const DEEPWATER_ERROR_CODES = [
  // Misuse: a wrong argument, option or value. Thrown as DeepwaterTypeError / DeepwaterRangeError.
  'ERR_INVALID_ARGUMENT',
  'ERR_OUT_OF_RANGE',
  // An internal check failed: a bug or a damaged install (e.g. schema.wasm missing); please report it.
  'ERR_INTERNAL',
  // @deepwater/sdk
  'ERR_FEED_NOT_FOUND',
  'ERR_FEED_EXISTS_CONFLICT',
  'ERR_WRITER_LOCKED',
  'ERR_REGISTRY_LOCKED',
  'ERR_BASE_UNAVAILABLE',
  'ERR_FORMAT_VERSION',
  'ERR_CLOSED',
  'ERR_INVALID_SPEC',
  'ERR_SCHEMA_MISMATCH',
  'ERR_OVERRUN',
  'ERR_CORRUPT',
  'ERR_CAPACITY',
  'ERR_SYMLINK',
  'ERR_RING_FOREIGN',
  'ERR_NO_SPACE',
  'ERR_NO_MEMORY',
  'ERR_NOT_IMPLEMENTED',
  'ERR_CRONTAB',
  // @deepwater/ring
  'ERR_RING_LAYOUT',
  'ERR_RING_NOT_FOUND',
  'ERR_NO_TIMESTAMP',
  // @deepwater/schema-wasm
  'ERR_SCHEMA',
  'ERR_INDEX_FORMAT',
  // @deepwater/storage-native (a failed system call carries its errno name instead: SystemErrorCode)
  'ERR_MAPPING_CLOSED',
  'ERR_NATIVE_ADDON',
  // @deepwater/tui
  'ERR_BASE_NOT_FOUND',
  'ERR_ESM_ONLY',
  // @deepwater/arrow: a file that cannot be imported (unreadable, mistyped, unordered); nothing written.
  'ERR_IMPORT',
  // @deepwater/bridge-nats
  'ERR_BRIDGE_UNREACHABLE',
  'ERR_BRIDGE_CONFLICT',
  'ERR_BRIDGE_SCHEMA_MISMATCH',
  'ERR_BRIDGE_STREAM',
  'ERR_BRIDGE_GAP',
] as const;

/** A code of DEEPWATER_ERROR_CODES, or the errno name of a failed system call. */
export type DeepwaterErrorCode = (typeof DEEPWATER_ERROR_CODES)[number] | SystemErrorCode;

/**
 * The errno name of a failed system call ('ENOENT', 'ENOSPC', 'EACCES'…), as storage-native's
 * NativeError reports it: the kernel's own code, so it is kept rather than renamed. The
 * intersection keeps TypeScript from folding the ERR_ literals into this pattern, so
 * `Extract<DeepwaterErrorCode, 'ERR_CLOSED'>` and editor completion still see each code.
 */
export type SystemErrorCode = `E${Uppercase<string>}` & NonNullable<unknown>;
