import { atomicsPingPong } from './baselines/atomics-pingpong.js';
import { rawPingPong } from './baselines/raw-pingpong.js';
import { redisStreams } from './baselines/redis-streams.js';
import type { Scenario } from './core/scenario.js';

/** Every scenario in run order: baselines first, so Deepwater rows can be compared with them. */
export const SCENARIOS: Scenario[] = [rawPingPong, atomicsPingPong, redisStreams];
