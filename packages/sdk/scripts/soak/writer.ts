// Soak writer child: resumes the sequence from the feed's last record, then appends at a steady rate
// until the parent says "finish" (then writes the END record and exits 0) or SIGKILLs it.
// Usage: node --import tsx writer.ts <base> <rate> <gen> [none|resume-gap|resume-duplicate]
// The last argument is the harness's self-test: generations after the first resume one seq off.
import { Platform } from '../../src/index.js';
import { checkOf, FEED, FLAG_END } from './feed.js';
import { exitOnUncaught, onCommand, reportFatal, send } from './protocol.js';

const [base, rateArg, genArg, inject = 'none'] = process.argv.slice(2);
const rate = Number(rateArg);
const gen = Number(genArg);
/** Upper bound on one tick's records, so a stall is caught up over several ticks, not in one burst. */
const maxPerTick = Math.max(1, Math.ceil(rate / 20));

exitOnUncaught();
const nowUs = () => Math.floor((performance.timeOrigin + performance.now()) * 1000);

try {
  const platform = new Platform(base);
  const writer = platform.createWriter(FEED);
  // Resume after the last published record: the newest timestamp's records hold the highest seq.
  const reader = platform.createReader(FEED);
  const newest = reader.latest(0, { format: 'object' });
  reader.close();
  let seq = 0;
  let lastTs = 0;
  for (const rec of newest) {
    if ((Number(rec.flags) & FLAG_END) !== 0) throw new Error(`the feed already ends at seq ${rec.seq}`);
    seq = Math.max(seq, Number(rec.seq) + 1);
    lastTs = Math.max(lastTs, Number(rec.timestamp_us));
  }
  if (gen > 1 && inject === 'resume-gap') seq += 1;
  if (gen > 1 && inject === 'resume-duplicate') seq -= 1;
  send({ type: 'writer-ready', gen, resumeSeq: seq });

  const nextTs = () => {
    lastTs = Math.max(lastTs, nowUs());
    return lastTs;
  };
  const started = performance.now();
  const firstSeq = seq;
  let useBatch = false;
  let finishing = false;
  let lastProgress = started;

  // Alternate writeValues and writeBatch ticks, so a SIGKILL lands in both paths.
  const tick = () => {
    if (finishing) return;
    const due = Math.floor(((performance.now() - started) * rate) / 1000) - (seq - firstSeq);
    const count = Math.min(due, maxPerTick);
    if (count > 0) {
      if (useBatch) {
        const rows: number[][] = [];
        for (let i = 0; i < count; i++, seq++) rows.push([seq, nextTs(), gen, 0, checkOf(seq)]);
        writer.writeBatch(rows);
      } else {
        for (let i = 0; i < count; i++, seq++) writer.writeValues(seq, nextTs(), gen, 0, checkOf(seq));
      }
      useBatch = !useBatch;
    }
    const now = performance.now();
    if (now - lastProgress >= 1000) {
      lastProgress = now;
      send({ type: 'writer-progress', gen, nextSeq: seq });
    }
    setTimeout(tick, 1);
  };
  onCommand((command) => {
    if (command !== 'finish' || finishing) return;
    finishing = true;
    try {
      writer.writeValues(seq, nextTs(), gen, FLAG_END, checkOf(seq));
      writer.close();
      platform.close();
      send({ type: 'writer-finished', gen, finalSeq: seq });
      process.exit(0);
    } catch (error) {
      reportFatal(error);
    }
  });
  tick();
} catch (error) {
  reportFatal(error);
}
