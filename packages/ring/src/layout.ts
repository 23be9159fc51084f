/**
 * Ring buffer layout, version 2: one POSIX shared-memory object per ring.
 *
 * All integers little-endian. Sequence numbers ("seq") count records since the ring was created
 * and stay below 2^53; header sequences are two uint32 words (LO, HI) because JS has no cheap
 * 64-bit atomic. A HI word changes only when LO carries (once per 2^32 records); the writer
 * brackets that rare update with SEQ_GENERATION (odd while it changes), so a reader that sees the
 * same even generation before and after loading LO and HI has a consistent 53-bit value.
 *
 * | offset | length | field              | written by            | read by                        |
 * | -----: | -----: | ------------------ | --------------------- | ------------------------------ |
 * |      0 |      4 | MAGIC 'DWRG'       | creator, stored last  | readers: ring is initialised   |
 * |      4 |      4 | VERSION (2)        | creator               | everyone, checked on open      |
 * |      8 |      4 | HEADER_LENGTH      | creator               | everyone (data starts here)    |
 * |     12 |      4 | RECORD_SIZE bytes  | creator               | everyone                       |
 * |     16 |      4 | CAPACITY records   | creator               | everyone                       |
 * |     20 |      4 | TIMESTAMP_OFFSET   | creator (NO_TS=none)  | time seeks, lastTimestamp      |
 * |     24 |      4 | FLAGS              | creator               | bit 0: timestamp is signed     |
 * |     28 |      4 | SLOT_LENGTH bytes  | creator               | everyone (slot stride)         |
 * |     32 |      8 | CREATED_US f64     | creator               | status                         |
 * |     40 |      8 | FIRST_SEQUENCE f64 | creator               | readers: nothing exists below  |
 * |     48 |     80 | reserved (0)       |                       |                                |
 * |    128 |      4 | SEQ_GENERATION     | writer, on HI change  | readers (consistent LO/HI)     |
 * |    132 |      4 | reserved (0)       |                       |                                |
 * |    136 |      4 | CLAIM_LO           | writer, before stamps | readers: lapped or not (slow)  |
 * |    140 |      4 | CLAIM_HI           | writer, on carry      | readers                        |
 * |    144 |      4 | PUBLISH_LO         | writer, per publish   | blocking readers; futex word   |
 * |    148 |      4 | PUBLISH_HI         | writer, on carry      | readers                        |
 * |    152 |    104 | reserved (0)       |                       |                                |
 * |    256 |      4 | WAITERS            | blocking readers      | writer: futex-wake only if > 0 |
 * |    260 |    124 | reserved (0)       |                       |                                |
 * |    384 |      4 | WRITER_PID         | writer, on attach     | status                         |
 * |    388 |      4 | WRITER_STARTS      | writer, on attach     | status (restarts = value - 1)  |
 * |    392 |    120 | reserved (0)       |                       |                                |
 * |    512 |  C × S | slots              | writer                | readers                        |
 *
 * Slot `seq mod CAPACITY` starts at byte HEADER_LENGTH + slot × SLOT_LENGTH, where SLOT_LENGTH =
 * 8 + RECORD_SIZE rounded up to a multiple of 8:
 *
 * | slot offset | length | field       | value                                                   |
 * | ----------: | -----: | ----------- | ------------------------------------------------------- |
 * |           0 |      4 | STAMP_LO    | 0 never written · 0xFFFFFFFE being written ·             |
 * |             |        |             | 2 × (seq mod 2^31) + 1 once record `seq` is complete      |
 * |           4 |      4 | STAMP_HI    | floor(seq / 2^31), written before STAMP_LO commits        |
 * |           8 |      R | record      | RECORD_SIZE bytes, then zero padding to SLOT_LENGTH       |
 *
 * The stamp sits in the record's own cache line, so a reader waiting for the next record spins on
 * the line the writer is about to fill: one line moves between cores per record. The header
 * words the writer stores per record (CLAIM, PUBLISH) share a line that a spinning reader never
 * reads; static words, the reader-written WAITERS word and writer metadata sit 128 bytes apart
 * (the adjacent-line prefetcher fetches lines in pairs).
 */
export const RING_MAGIC = 0x47525744; // 'DWRG' read as a little-endian uint32
export const RING_VERSION = 2;
export const NO_TIMESTAMP = 0xffffffff;
export const TIMESTAMP_SIGNED_FLAG = 0x1;

export const MAGIC_OFFSET = 0;
export const VERSION_OFFSET = 4;
export const HEADER_LENGTH_OFFSET = 8;
export const RECORD_SIZE_OFFSET = 12;
export const CAPACITY_OFFSET = 16;
export const TIMESTAMP_OFFSET_OFFSET = 20;
export const FLAGS_OFFSET = 24;
export const SLOT_LENGTH_OFFSET = 28;
export const CREATED_US_OFFSET = 32;
export const FIRST_SEQUENCE_OFFSET = 40;

export const SEQ_GENERATION_OFFSET = 128;
export const CLAIM_LO_OFFSET = 136;
export const CLAIM_HI_OFFSET = 140;
export const PUBLISH_LO_OFFSET = 144;
export const PUBLISH_HI_OFFSET = 148;

export const WAITERS_OFFSET = 256;

export const WRITER_PID_OFFSET = 384;
export const WRITER_STARTS_OFFSET = 388;

export const HEADER_LENGTH = 512;
export const DATA_OFFSET = HEADER_LENGTH;

/** Per-slot stamp, in front of each record. */
export const STAMP_LO_OFFSET = 0;
export const STAMP_HI_OFFSET = 4;
export const SLOT_HEADER_LENGTH = 8;
/** STAMP_LO of a slot no record was ever written to. */
export const STAMP_EMPTY = 0;
/** STAMP_LO while the writer fills the slot: readers must not trust its bytes. */
export const STAMP_BUSY = 0xfffffffe;
/** STAMP_LO = 2 × (seq mod STAMP_LO_PERIOD) + 1 and STAMP_HI = floor(seq / STAMP_LO_PERIOD). */
export const STAMP_LO_PERIOD = 0x80000000;

/** Largest capacity in records: slot indexes and the LO-word distance arithmetic stay in int32. */
export const MAX_CAPACITY = 0x40000000;
/** Sequences stay exactly representable as JS numbers. */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;
export const SEQ_HI_MULTIPLIER = 0x100000000;
