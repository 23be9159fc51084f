import type { ChunkSnapshot, FeedSchema, FeedSnapshot, RingReaderSnapshot, RingSnapshot } from './types.js';

/**
 * Maps the sdk's status objects onto the dashboard's snapshot types. It reads fields defensively
 * (a missing or renamed field becomes null, shown as '—') because the dashboard must keep working
 * against an sdk whose status API grows over time, and must never crash a monitor on a new field.
 */

type Loose = Record<string, unknown>;

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

function pick(source: Loose, ...keys: string[]): number | null {
  for (const key of keys) {
    const n = asNumber(source[key]);
    if (n != null) return n;
  }
  return null;
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

/**
 * Record timestamps come in the feed's tsUnit (µs unless the feed says ns/ms/s); the dashboard
 * works in µs throughout (ages and horizons against the µs wall clock), so they are scaled here.
 */
function timestampScaler(unit: unknown): (value: number | null) => number | null {
  switch (unit) {
    case 'ns':
      return (v) => (v == null ? null : v / 1000);
    case 'ms':
      return (v) => (v == null ? null : v * 1000);
    case 's':
      return (v) => (v == null ? null : v * 1e6);
    default:
      return (v) => v;
  }
}

export function normalizeFeedStatus(raw: unknown, name: string): FeedSnapshot {
  const s: Loose = isObject(raw) ? raw : {};
  const toMicros = timestampScaler(s.tsUnit);
  const chunks = Array.isArray(s.chunks)
    ? s.chunks.filter(isObject).map((c) => normalizeChunk(c, toMicros))
    : [];
  const ringRaw: Loose | null = isObject(s.ring) ? s.ring : null;
  // Rates are differences of a counter that only grows. A ring's top-level `records` is what it
  // holds (stuck at capacity once full, which would read 0/s and STALE), so take its header's
  // records-written counter.
  const records = (ringRaw && pick(ringRaw, 'recordsWritten')) ?? (pick(s, 'records', 'totalRecords') || 0);
  return {
    name: typeof s.name === 'string' ? s.name : name,
    persist: s.persist !== false,
    mode: typeof s.mode === 'string' ? s.mode : 'UF',
    recordSize: pick(s, 'recordSize') ?? 0,
    fmt: typeof s.fmt === 'string' ? s.fmt : null,
    records,
    firstTs: toMicros(pick(s, 'firstTs') ?? (ringRaw && pick(ringRaw, 'firstTs'))),
    lastTs: toMicros(pick(s, 'lastTs') ?? (ringRaw && pick(ringRaw, 'lastTs'))),
    chunkCount: pick(s, 'chunkCount') ?? (Array.isArray(s.chunks) ? chunks.length : null),
    bytesOnDisk: pick(s, 'bytesOnDisk'),
    retentionHours: pick(s, 'retentionHours'),
    writerPid: pick(s, 'writerPid') ?? (ringRaw && pick(ringRaw, 'writerPid')),
    lastAppendUs: pick(s, 'lastAppendUs'),
    chunks,
    ring: ringRaw ? normalizeRing(ringRaw) : null,
    error: null,
  };
}

function normalizeChunk(c: Loose, toMicros: (value: number | null) => number | null): ChunkSnapshot {
  return {
    id: pick(c, 'id') ?? 0,
    state: typeof c.state === 'string' ? c.state : String(c.state ?? '—'),
    firstTs: toMicros(pick(c, 'firstTs')),
    lastTs: toMicros(pick(c, 'lastTs')),
    records: pick(c, 'records') ?? 0,
    bytes: pick(c, 'bytes'),
  };
}

export function normalizeRing(r: Loose): RingSnapshot {
  const capacity = pick(r, 'capacity', 'capacityRecords');
  let fillRecords = pick(r, 'recordsHeld', 'fillRecords', 'held');
  if (fillRecords == null) {
    const fill = pick(r, 'fill');
    // `fill` may be a count or a fraction; a fraction is at most 1 while a count reaches capacity.
    if (fill != null) fillRecords = fill <= 1 && capacity != null && capacity > 1 ? fill * capacity : fill;
  }
  const readers: RingReaderSnapshot[] | null = Array.isArray(r.readers)
    ? r.readers.filter(isObject).map((reader) => ({
        pid: pick(reader, 'pid'),
        lagRecords: pick(reader, 'lagRecords', 'lag'),
        lostRecords: pick(reader, 'lostRecords', 'lost'),
        heartbeatUs: pick(reader, 'heartbeatUs'),
      }))
    : null;
  let lost = pick(r, 'lostRecords', 'lost');
  if (lost == null && readers?.some((x) => x.lostRecords != null)) {
    lost = readers.reduce((sum, x) => sum + (x.lostRecords ?? 0), 0);
  }
  return {
    capacity,
    fillRecords,
    wraps: pick(r, 'wraps', 'wrapCount', 'generation'),
    shmBytes: pick(r, 'bytes', 'shmBytes'),
    readers,
    lostRecords: lost,
  };
}

export function normalizeSchema(raw: unknown): FeedSchema {
  const s: Loose = isObject(raw) ? raw : {};
  const fields = Array.isArray(s.fields)
    ? s.fields.filter(isObject).map((f) => ({
        name: String(f.name ?? '?'),
        type: String(f.type ?? '?'),
        offset: asNumber(f.offset),
        size: asNumber(f.size),
        ...labelsOf(f.labels),
      }))
    : [];
  return {
    fmt: typeof s.fmt === 'string' ? s.fmt : null,
    recordSize: asNumber(s.recordSize) ?? 0,
    tsCol: typeof s.tsCol === 'string' ? s.tsCol : null,
    fields,
  };
}

/** A field's value labels when they are a map of strings; anything else is ignored. */
function labelsOf(raw: unknown): { labels?: Record<string, string> } {
  if (!isObject(raw)) return {};
  const entries = Object.entries(raw).filter(([, label]) => typeof label === 'string');
  return entries.length === 0 ? {} : { labels: Object.fromEntries(entries) as Record<string, string> };
}

/** The feed names a `listFeeds()` result carries (FeedInfo.name, or the spec's feedName). */
export function feedNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') names.push(item);
    else if (isObject(item)) {
      const name = item.name ?? item.feedName ?? item.feed_name;
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}
