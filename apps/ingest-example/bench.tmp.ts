import { readFileSync } from 'node:fs';
import { parseAdvancedTradeFrame } from './src/coinbase/parse.js';

const frames = readFileSync('fixtures/session.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((l) => l.data)
  .map((l) => l.data);
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 20; k++)
    for (const f of frames) {
      parseAdvancedTradeFrame(f);
      n++;
    }
  const dt = performance.now() - t0;
  console.log('parse µs/frame', ((dt * 1000) / n).toFixed(2));
}
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 20; k++)
    for (const f of frames) {
      JSON.parse(f);
      n++;
    }
  const dt = performance.now() - t0;
  console.log('JSON.parse µs/frame', ((dt * 1000) / n).toFixed(2));
}
