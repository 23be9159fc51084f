// Child of scripts/measure.ts: writes 24-byte records as fast as it can for <seconds>, prints rec/s.
import { Platform } from '@deepwater/sdk';

const [base, feed, seconds] = process.argv.slice(2);
const platform = new Platform(base);
const writer = platform.createWriter(feed);
const end = performance.now() + Number(seconds) * 1000;
let written = 0;
// Continue after the previous trial's timestamps, which ran ahead of the wall clock.
let ts = Math.max(Date.now() * 1000, (platform.feedStatus(feed).lastTs ?? 0) + 1);
const started = performance.now();
while (performance.now() < end) {
  for (let i = 0; i < 1000; i++) writer.writeValues(100.5, 2, ts++);
  written += 1000;
}
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(`${Math.round(written / elapsed)}\n`);
platform.close();
