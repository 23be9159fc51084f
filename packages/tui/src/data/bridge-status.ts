import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeSnapshot } from './types.js';

/**
 * Where `deepwater-bridge` (package @deepwater/bridge-nats) writes its status files by default:
 * `<base>/.bridge/<replicate|mirror>-<feed>.status.json`, rewritten atomically every second. The
 * dashboard reads the documented JSON (see that package's README, "Status file") and never imports
 * the bridge, so it works without it installed.
 */
export const BRIDGE_STATUS_DIR = '.bridge';
const STATUS_SUFFIX = '.status.json';

/** A status not rewritten for this many of its own intervals (or this long when unknown) is stale. */
export const BRIDGE_STALE_INTERVALS = 5;
export const BRIDGE_STALE_MIN_US = 5_000_000;

/** Every bridge status file of the base, by file name; none when the base has no bridge. */
export function readBridgeStatuses(basePath: string): BridgeSnapshot[] {
  const dir = join(basePath, BRIDGE_STATUS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(STATUS_SUFFIX));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const path = join(dir, name);
    try {
      return normalizeBridgeStatus(JSON.parse(readFileSync(path, 'utf8')), path);
    } catch (error) {
      // Deleted between readdir and read, or not JSON: shown as such rather than dropped.
      const snapshot = normalizeBridgeStatus({}, path);
      snapshot.error = error instanceof Error ? error.message : String(error);
      return snapshot;
    }
  });
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Anything the file lacks (an older bridge) is null, rendered '—'. */
export function normalizeBridgeStatus(raw: unknown, path: string): BridgeSnapshot {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const updated = str(o.updatedAt);
  const updatedMs = updated === null ? Number.NaN : Date.parse(updated);
  const role = str(o.role);
  return {
    path,
    role: role === 'replicate' || role === 'mirror' ? role : null,
    feed: str(o.feed),
    stream: str(o.stream),
    state: str(o.state),
    pid: num(o.pid),
    nextSeq: num(o.nextSeq),
    records: num(o.records),
    recordsBehind: num(o.recordsBehind),
    secondsBehind: num(o.secondsBehind),
    recordsPerSecond: num(o.recordsPerSecond),
    reconnects: num(o.reconnects),
    retries: num(o.retries),
    lostRecords: num(o.lostRecords),
    updatedAtUs: Number.isFinite(updatedMs) ? updatedMs * 1000 : null,
    statusEveryMs: num(o.statusEveryMs),
    lastError: str(o.lastError),
    error: null,
  };
}

/** What the BRIDGES view shows in the STATE column. */
export type BridgeState = 'RUNNING' | 'BEHIND' | 'RETRYING' | 'STOPPED' | 'FAILED' | 'STALE' | 'UNREADABLE';

/** Records behind this many seconds or more make a running bridge BEHIND rather than RUNNING. */
export const BRIDGE_BEHIND_SECONDS = 5;

/**
 * A bridge that stopped says so in its last status; one whose status stopped changing without
 * saying so (killed, hung, host clock far off) is STALE, whatever the file claims.
 */
export function bridgeState(bridge: BridgeSnapshot, nowUs: number): BridgeState {
  if (bridge.error !== null) return 'UNREADABLE';
  if (bridge.state === 'stopped') return 'STOPPED';
  if (bridge.state === 'failed') return 'FAILED';
  const intervalUs = (bridge.statusEveryMs ?? 1000) * 1000;
  const staleAfter = Math.max(BRIDGE_STALE_MIN_US, BRIDGE_STALE_INTERVALS * intervalUs);
  if (bridge.updatedAtUs === null || nowUs - bridge.updatedAtUs > staleAfter) return 'STALE';
  if (bridge.state === 'retrying') return 'RETRYING';
  if ((bridge.secondsBehind ?? 0) >= BRIDGE_BEHIND_SECONDS) return 'BEHIND';
  return 'RUNNING';
}

export const BRIDGE_STATE_COLOR: Record<BridgeState, string> = {
  RUNNING: 'green',
  BEHIND: 'yellow',
  RETRYING: 'yellow',
  STOPPED: 'gray',
  FAILED: 'red',
  STALE: 'red',
  UNREADABLE: 'red',
};
