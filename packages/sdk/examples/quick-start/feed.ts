// The feed both processes agree on. In your app: import { Platform } from '@deepwater/sdk';
export const TRADES = {
  feedName: 'trades',
  fields: [
    { name: 'price', type: 'float64', desc: 'trade price' },
    { name: 'size', type: 'float64', desc: 'trade size' },
    { name: 'timestamp_us', type: 'uint64', desc: 'receive time, µs since the epoch' },
  ],
  tsCol: 'timestamp_us',
  chunkSizeMb: 0.25, // small chunks so the demo rotates a few times
};

export const HISTORY_RECORDS = 5_000;
export const LIVE_RECORDS = 300;
export const LIVE_INTERVAL_MS = 10;
