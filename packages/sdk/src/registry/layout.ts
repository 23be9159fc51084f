/**
 * Byte layouts of the base directory's shared files (see ARCHITECTURE.md, "Base directory,
 * manifest and registries"). Offsets in bytes from the file start, little-endian. Each 4-byte word
 * that crosses processes is accessed with Atomics through an Int32Array (index = offset / 4).
 */

/** manifest.json `formatVersion`: bump on any incompatible change to any sdk file format. */
export const FORMAT_VERSION = 2;
/** The previous format: `deepwater migrate` upgrades a base of it in place. */
export const FORMAT_VERSION_1 = 1;

// ---------------------------------------------------------------------------------------------
// Global registry `<base>/feeds.reg` — the list of feeds. Writers: createFeed/deleteFeed under
// `<base>/registry.lock`. Readers: any process, lock-free (a slot's state word is written last).
//
// header (64 bytes)
//   0  u32 magic 'DWGR'            4  u32 version
//   8  u32 slotCapacity           12  u32 slotLength
//  16  u32 slotsUsed   (high-water mark, Atomics store after the slot is complete)
//  20  u32 changeCount (bumped on every add/delete, lets pollers skip unchanged lists)
//  24  u32 headerCrc: CRC-32C of bytes 0..16 (magic, version, slotCapacity, slotLength; v2)
// slot i at 64 + i * 128
//   0  u32 state (0 empty, 1 active, 2 deleted; Atomics, written last)
//   4  u8  persist (0/1)           5  u8  mode (0 'UF', 1 'IF')
//   6  u8  nameLength              7  u8  reserved
//   8  u32 recordSize             12  u32 generation (bumped when the slot is rewritten)
//  16  f64 createdUs              24  f64 chunkSizeBytes
//  32  64 bytes feed name (ASCII)  96..128 reserved
// ---------------------------------------------------------------------------------------------
export const GLOBAL_REGISTRY_FILE = 'feeds.reg';
export const REGISTRY_LOCK_FILE = 'registry.lock';
export const GLOBAL_MAGIC = 0x52475744; // 'DWGR' as little-endian bytes
export const GLOBAL_VERSION = 2;
export const GLOBAL_HEADER_LENGTH = 64;
export const GLOBAL_SLOT_LENGTH = 128;
export const GLOBAL_SLOT_CAPACITY = 4096;
export const GLOBAL_FILE_LENGTH = GLOBAL_HEADER_LENGTH + GLOBAL_SLOT_CAPACITY * GLOBAL_SLOT_LENGTH;

export const G_MAGIC_OFFSET = 0;
export const G_VERSION_OFFSET = 4;
export const G_SLOT_CAPACITY_OFFSET = 8;
export const G_SLOT_LENGTH_OFFSET = 12;
export const G_SLOTS_USED_OFFSET = 16;
export const G_CHANGE_COUNT_OFFSET = 20;
export const G_HEADER_CRC_OFFSET = 24;
export const G_IMMUTABLE_END = 16;

export const GS_STATE_OFFSET = 0;
export const GS_PERSIST_OFFSET = 4;
export const GS_MODE_OFFSET = 5;
export const GS_NAME_LENGTH_OFFSET = 6;
export const GS_RECORD_SIZE_OFFSET = 8;
export const GS_GENERATION_OFFSET = 12;
export const GS_CREATED_US_OFFSET = 16;
export const GS_CHUNK_SIZE_BYTES_OFFSET = 24;
export const GS_NAME_OFFSET = 32;
export const GS_NAME_LENGTH = 64;

export const SLOT_EMPTY = 0;
export const SLOT_ACTIVE = 1;
export const SLOT_DELETED = 2;

// ---------------------------------------------------------------------------------------------
// Feed registry `<base>/feeds/<name>/chunks.reg` — the feed's chunks. Writer: the feed's single
// writer. Readers: lock-free. Chunk id N (1, 2, ...) lives in slot (N - 1) % slotCapacity; a slot
// belongs to chunk N only while its chunkId word equals N.
//
// header (256 bytes)
//   0  u32 magic 'DWFR'            4  u32 version
//   8  u32 slotCapacity           12  u32 slotLength
//  16  u32 recordSize             20  u32 recordsPerChunk
//  24  f64 chunkFileLength
//  32  u32 headerCrc: CRC-32C of bytes 0..32 then 36..44 (v2)
//  36  u32 specLength: bytes of the feed.json copy at SPEC_OFFSET (0 = none)
//  40  u32 specCrc: CRC-32C of those bytes      44..64 reserved
//  -- cache line 1: written by the writer
//  64  u32 lastChunkId  THE ROTATION WORD: chunk N is final (its record count will not grow)
//                       once lastChunkId > N. 0 = no chunk yet. Atomics store after the new
//                       chunk's file and slot are complete.
//  68  u32 firstChunkId (oldest chunk not removed; retention raises it)
//  72  u32 writerPid    (0 after a clean close; may be stale after a crash: the lock is the truth)
//  80  f64 lastAppendUs (wall clock of a recent publication; refreshed every 256 records / batch
//                        and by a 250 ms timer, never a syscall per record)
//  -- cache line 2: wake-ups
// 128  u32 waiters      (readers about to park: Atomics.add +1 / -1)
// 132  u32 signal       (futex word: the writer bumps it and wakes only when waiters > 0)
// slot i at 256 + i * 64
//   0  u32 chunkId (0 = unused; Atomics, written last)
//   4  u32 state (1 active, 2 closed: writer closed cleanly and may resume it,
//                 3 full: sealed by rotation, 4 removed by retention)
//   8  u32 recordCount (valid once state >= 2; while active read the chunk header's count)
//  16  f64 firstTs (NaN until the chunk's first record is published; set before that publication)
//  24  f64 lastTs  (valid once state >= 2)
//  32  f64 createdUs   40 f64 sealedUs
//  48  u64 firstSeq (seq of the chunk's first record; a copy of the chunk header's)
//  56  8 bytes firstTsExact, 64 8 bytes lastTsExact: the timestamp column's exact bytes
//      (valid with firstTs / lastTs)      72..128 reserved
// after the slots: SPEC_OFFSET, SPEC_CAPACITY bytes: a copy of feed.json (specLength bytes)
// ---------------------------------------------------------------------------------------------
export const FEED_REGISTRY_FILE = 'chunks.reg';
export const FEED_MAGIC = 0x52465744; // 'DWFR'
export const FEED_VERSION = 2;
export const FEED_HEADER_LENGTH = 256;
export const FEED_SLOT_LENGTH = 128;
export const FEED_SLOT_CAPACITY = 16384;
/** Where the copy of feed.json starts (after the slots), and the room it has. */
export const SPEC_OFFSET = FEED_HEADER_LENGTH + FEED_SLOT_CAPACITY * FEED_SLOT_LENGTH;
export const SPEC_CAPACITY = 65536;
export const FEED_FILE_LENGTH = SPEC_OFFSET + SPEC_CAPACITY;
/** Length of a version 1 chunks.reg (64-byte slots, no spec copy), for `deepwater migrate`. */
export const FEED_FILE_LENGTH_V1 = FEED_HEADER_LENGTH + FEED_SLOT_CAPACITY * 64;

export const F_MAGIC_OFFSET = 0;
export const F_VERSION_OFFSET = 4;
export const F_SLOT_CAPACITY_OFFSET = 8;
export const F_SLOT_LENGTH_OFFSET = 12;
export const F_RECORD_SIZE_OFFSET = 16;
export const F_RECORDS_PER_CHUNK_OFFSET = 20;
export const F_CHUNK_FILE_LENGTH_OFFSET = 24;
export const F_HEADER_CRC_OFFSET = 32;
export const F_SPEC_LENGTH_OFFSET = 36;
export const F_SPEC_CRC_OFFSET = 40;
/** The immutable words the header checksum covers: [0, 32) and [36, 44). */
export const F_IMMUTABLE_END = 32;
export const F_SPEC_FIELDS_END = 44;
export const F_LAST_CHUNK_ID_OFFSET = 64;
export const F_FIRST_CHUNK_ID_OFFSET = 68;
export const F_WRITER_PID_OFFSET = 72;
export const F_LAST_APPEND_US_OFFSET = 80;
export const F_WAITERS_OFFSET = 128;
export const F_SIGNAL_OFFSET = 132;

export const FS_CHUNK_ID_OFFSET = 0;
export const FS_STATE_OFFSET = 4;
export const FS_RECORD_COUNT_OFFSET = 8;
export const FS_FIRST_TS_OFFSET = 16;
export const FS_LAST_TS_OFFSET = 24;
export const FS_CREATED_US_OFFSET = 32;
export const FS_SEALED_US_OFFSET = 40;
export const FS_FIRST_SEQ_OFFSET = 48;
export const FS_FIRST_TS_EXACT_OFFSET = 56;
export const FS_LAST_TS_EXACT_OFFSET = 64;

export const CHUNK_ACTIVE = 1;
export const CHUNK_CLOSED = 2;
export const CHUNK_FULL = 3;
export const CHUNK_REMOVED = 4;
export const CHUNK_STATE_NAMES: Readonly<Record<number, ChunkStateName>> = {
  1: 'active',
  2: 'closed',
  3: 'full',
  4: 'removed',
};
export type ChunkStateName = 'active' | 'closed' | 'full' | 'removed';

// ---------------------------------------------------------------------------------------------
// Readers table `<base>/feeds/<name>/readers.tbl` — where live readers are, so retention never
// deletes a chunk under one. Each stream/readAvailable cursor claims a slot with a CAS on pid
// (0 -> pid) and releases it on close; a slot whose pid is dead may be reclaimed by CAS.
//
// header (64 bytes): 0 u32 magic 'DWRT', 4 u32 version, 8 u32 slotCapacity, 12 u32 slotLength
// slot i at 64 + i * 32
//   0  u32 pid (0 = free)      4  u32 chunkId (lowest chunk this cursor may still read)
//   8  f64 heartbeatUs (refreshed when the cursor changes chunk)   16 f64 openedUs
//  24  u32 parked: this cursor's share of the feed registry's `waiters` word, so the share of a
//      killed reader can be taken back (by the writer's timer or by whoever reclaims the slot)
// ---------------------------------------------------------------------------------------------
export const READERS_FILE = 'readers.tbl';
export const READERS_MAGIC = 0x54525744; // 'DWRT'
export const READERS_VERSION = 1;
export const READERS_HEADER_LENGTH = 64;
export const READERS_SLOT_LENGTH = 32;
export const READERS_SLOT_CAPACITY = 256;
export const READERS_FILE_LENGTH = READERS_HEADER_LENGTH + READERS_SLOT_CAPACITY * READERS_SLOT_LENGTH;
export const RS_PID_OFFSET = 0;
export const RS_CHUNK_ID_OFFSET = 4;
export const RS_HEARTBEAT_US_OFFSET = 8;
export const RS_OPENED_US_OFFSET = 16;
export const RS_PARKED_OFFSET = 24;

// ---------------------------------------------------------------------------------------------
// Ring readers table `<base>/feeds/<name>/ring-readers.tbl` — where each ring reader cursor is and
// what it lost, for feedStatus and the dashboard (persist:false feeds only; a sibling of
// readers.tbl, which retention reads as chunk positions). Each stream/readAvailable cursor claims
// a slot with a CAS on pid (0 or a dead pid -> pid) and frees it on close. A slot is written only
// by its holder, with plain stores; status readers load it lock-free and may see a value one
// batch old. A slot is one cache line, so cursors in different processes never share a line.
//
// header (64 bytes): 0 u32 magic 'DWRR', 4 u32 version, 8 u32 slotCapacity, 12 u32 slotLength
// slot i at 64 + i * 64
//   0  u32 pid (0 = free; Atomics)   4  u32 kind (1 stream, 2 readAvailable)
//   8  f64 sequence: the next record this cursor hands out (NaN: not attached, the ring did not
//      exist when the cursor began; it will start at the ring's first sequence)
//  16  f64 lostRecords (records this cursor skipped because the writer lapped it)
//  24  f64 heartbeatUs (wall clock, refreshed every 1024 polls + records and on every park)
//  32  f64 openedUs                  40..64 reserved
// ---------------------------------------------------------------------------------------------
export const RING_READERS_FILE = 'ring-readers.tbl';
export const RING_READERS_MAGIC = 0x52525744; // 'DWRR'
export const RING_READERS_VERSION = 1;
export const RING_READERS_HEADER_LENGTH = 64;
export const RING_READERS_SLOT_LENGTH = 64;
export const RING_READERS_SLOT_CAPACITY = 256;
export const RING_READERS_FILE_LENGTH =
  RING_READERS_HEADER_LENGTH + RING_READERS_SLOT_CAPACITY * RING_READERS_SLOT_LENGTH;
export const RR_PID_OFFSET = 0;
export const RR_KIND_OFFSET = 4;
export const RR_SEQUENCE_OFFSET = 8;
export const RR_LOST_RECORDS_OFFSET = 16;
export const RR_HEARTBEAT_US_OFFSET = 24;
export const RR_OPENED_US_OFFSET = 32;
export const RR_KIND_STREAM = 1;
export const RR_KIND_READ_AVAILABLE = 2;
