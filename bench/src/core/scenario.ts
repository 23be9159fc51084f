import type { Pinning } from './pinning.js';
import type { Profile } from './profile.js';
import type { ResultRow } from './result.js';

export interface ScenarioContext {
  profile: Profile;
  pinning: Pinning;
  /** A fresh temp dir, removed when the run ends (also on error or SIGINT). */
  tempDir(prefix: string): string;
  /** Progress on stderr, so stdout stays the table. */
  log(message: string): void;
}

/**
 * A group of measurements. `run` spawns one child process per measurement (two for
 * cross-process latency) so that one scenario's JIT, heap and page cache state cannot leak into
 * the next, and returns every row it promised in `rows`, measured or marked unavailable.
 */
export interface Scenario {
  /** Matched by --only (substring or /regex/), e.g. `baseline.raw`, `dw.latency.ring`. */
  id: string;
  title: string;
  run(context: ScenarioContext): Promise<ResultRow[]>;
}
