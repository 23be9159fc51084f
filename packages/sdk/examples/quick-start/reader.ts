// Reader process: looks at history, then follows the feed live until the writer's last trade.
// Usage: node --import tsx reader.ts <base>
import { Platform } from '../../src/index.js';
import { HISTORY_RECORDS, LIVE_RECORDS } from './feed.js';

const base = process.argv[2] ?? './data';
const platform = new Platform(base);
const reader = platform.createReader('trades');

const lastSecond = reader.latest(1, { format: 'columnar' });
const prices = lastSecond.price as Float64Array;
console.log(
  `[reader] last second of history: ${prices.length} trades, mean price ${mean(prices).toFixed(2)}`,
);
const status = platform.feedStatus('trades');
console.log(
  `[reader] feed: ${status.records} records in ${status.chunkCount} chunks, writer pid ${status.writerPid}`,
);

// Replay the last 100 historical trades, then continue live: no gap, no duplicate at the hand-off.
const history = reader.range(0, Number.MAX_SAFE_INTEGER, { format: 'object' });
const from = history[HISTORY_RECORDS - 100].timestamp_us as number;
let seen = 0;
for await (const trade of reader.stream({ start: from, format: 'object' })) {
  seen++;
  if (seen === 100) console.log('[reader] replayed the last 100 historical trades; following live');
  if (seen % 50 === 0 && seen > 100) {
    const age = Date.now() * 1000 - (trade.timestamp_us as number);
    console.log(
      `[reader] trade #${seen}: ${trade.price} x ${trade.size}, received ${age} µs after it was stamped`,
    );
  }
  if (seen === 100 + LIVE_RECORDS) break;
}
console.log(`[reader] received ${seen} trades (100 replayed + ${seen - 100} live), none missed`);
platform.close();

function mean(xs: Float64Array): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return xs.length === 0 ? 0 : sum / xs.length;
}
