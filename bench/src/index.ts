// Building blocks for adding a scenario (e.g. the ingest replay slot named in targets.json).
export { BenchChild, runChild } from './core/child.js';
export { childMain, monoNow, nextMessage, sendNow } from './core/child-main.js';
export { type LatencySummary, newLatencyHistogram, summarize } from './core/histogram.js';
export type { Metric, ResultRow } from './core/result.js';
export type { Scenario, ScenarioContext } from './core/scenario.js';
export { evaluateTargets, loadTargets, type Target, type TargetResult } from './core/targets.js';
