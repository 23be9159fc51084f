// Writer process: appends a burst of history, then live trades every 10 ms, then closes.
// Usage: node --import tsx writer.ts <base>
import { Platform } from '../../src/index.js';
import { HISTORY_RECORDS, LIVE_INTERVAL_MS, LIVE_RECORDS, TRADES } from './feed.js';

const base = process.argv[2] ?? './data';
const platform = new Platform(base);
platform.createFeed(TRADES);
const writer = platform.createWriter('trades');

const now = () => Date.now() * 1000;
let price = 100;
const nextPrice = () => {
  price = Math.max(1, price + (Math.random() - 0.5) * 0.2);
  return Math.round(price * 100) / 100;
};

// History: one batch, one publication, with timestamps spread over the last 10 seconds.
const start = now() - 10_000_000;
writer.writeBatch(
  Array.from({ length: HISTORY_RECORDS }, (_, i) => [
    nextPrice(),
    1 + (i % 7),
    start + i * (10_000_000 / HISTORY_RECORDS),
  ]),
);
console.log(`[writer] wrote ${HISTORY_RECORDS} historical trades`);

let sent = 0;
const timer = setInterval(() => {
  writer.writeValues(nextPrice(), 1 + (sent % 5), now());
  if (++sent === LIVE_RECORDS) {
    clearInterval(timer);
    console.log(`[writer] wrote ${LIVE_RECORDS} live trades; closing`);
    platform.close();
  }
}, LIVE_INTERVAL_MS);
