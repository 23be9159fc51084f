// Bounds enforced by assembly/layout.ts, mirrored for messages and docs.

/** Largest record in bytes: bounds codec size and keeps a record well inside one page run. */
export const MAX_RECORD_SIZE = 65536;
/** Largest single `_N` padding. */
export const MAX_PADDING = 4096;
/** Longest field name in UTF-8 bytes. */
export const MAX_NAME_LENGTH = 255;
