import type { Finding } from './health.js';

export interface LoggedFinding extends Finding {
  feed: string | null;
  firstSeenUs: number;
  lastSeenUs: number;
  /** False once a later poll no longer found the problem: kept so a flapping feed stays visible. */
  active: boolean;
}

const KEEP_PER_FEED = 8;

/** Remembers what the health checks found recently, per feed, newest first. */
export class FindingLog {
  private readonly entries = new Map<string, LoggedFinding[]>();

  record(feed: string | null, findings: readonly Finding[], nowUs: number): void {
    const key = feed ?? '';
    const list = this.entries.get(key) ?? [];
    const seen = new Set<string>();
    for (const f of findings) {
      seen.add(f.code);
      const open = list.find((e) => e.active && e.code === f.code);
      if (open) {
        open.lastSeenUs = nowUs;
        open.message = f.message;
        open.severity = f.severity;
      } else {
        list.unshift({ ...f, feed, firstSeenUs: nowUs, lastSeenUs: nowUs, active: true });
      }
    }
    for (const e of list) if (e.active && !seen.has(e.code)) e.active = false;
    list.length = Math.min(list.length, KEEP_PER_FEED);
    this.entries.set(key, list);
  }

  forFeed(feed: string | null): readonly LoggedFinding[] {
    return this.entries.get(feed ?? '') ?? [];
  }

  /** Forget feeds that no longer exist so a long-running dashboard does not grow. */
  retain(feeds: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (key !== '' && !feeds.has(key)) this.entries.delete(key);
  }
}
