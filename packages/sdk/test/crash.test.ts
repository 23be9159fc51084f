import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeepwaterError, Platform } from '../src/index.js';
import { checkedRecord, checkedSpec, recordProblem } from './fixtures/checked-feed.js';
import { useChildren } from './helpers/child.js';
import { useTempBase } from './helpers/temp-base.js';

const CHUNK_MB = 0.05;
/** Each crashed writer is asked for this many records (it is killed long before, usually). */
const ATTEMPT = 1_000_000;

describe('a writer killed with SIGKILL', () => {
  const t = useTempBase();
  const spawnChild = useChildren();

  it('leaves a readable prefix, never a torn record, and the next writer continues the feed (5 trials)', async () => {
    const base = t.base();
    const setup = t.open(base);
    setup.createFeed(checkedSpec('crashy', CHUNK_MB));
    let written = 0;
    for (let trial = 0; trial < 5; trial++) {
      // A live reader in another process follows the feed through the crash and the restart:
      // the next writer tops the feed up to a known total, so the reader knows what to expect.
      const follow = 3_000;
      const target = written + ATTEMPT + follow;
      const reader = spawnChild('reader.ts', [base, 'crashy', 'async', target - written]);
      await reader.line('ready');
      const writer = spawnChild('writer.ts', [base, 'crashy', ATTEMPT, CHUNK_MB, written]);
      await writer.line('ready');
      await sleep(30 + trial * 40);
      writer.process.kill('SIGKILL');
      await writer.exited;

      const r = setup.createReader('crashy');
      const all = r.range(0, Number.MAX_SAFE_INTEGER) as number[][];
      r.close();
      // A prefix: seq 0..n-1 contiguous, nothing torn.
      expect(all.length).toBeGreaterThan(written);
      const before = written;
      const problems = all
        .map((rec, i) => (rec[1] !== i ? `index ${i} has seq ${rec[1]}` : recordProblem(rec)))
        .filter(Boolean);
      expect(problems.slice(0, 3)).toEqual([]);
      written = all.length;

      // The lock died with the process; the next writer continues exactly after the last published record.
      const w = setup.createWriter('crashy');
      for (let seq = written; seq < target; seq++) w.writeTuple(checkedRecord(seq));
      w.close();
      written = target;
      expect(await reader.line('received')).toEqual({
        received: target - before,
        firstSeq: before,
        lastSeq: target - 1,
        problems: [],
      });
    }
    const status = setup.feedStatus('crashy');
    expect(status.records).toBe(written);
    expect(status.writerPid).toBeNull();
  });
});

describe('the single-writer lock', () => {
  const t = useTempBase();
  const spawnChild = useChildren();

  it('refuses a second writer, naming the feed and the holder pid, and is freed when the holder is killed', async () => {
    const base = t.base();
    const holder = spawnChild('hold-writer.ts', [base, 'locked']);
    const { pid } = await holder.line('ready');
    const p = t.open(base);
    let refused: unknown;
    try {
      p.createWriter('locked');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DeepwaterError);
    expect(refused).toMatchObject({ code: 'ERR_WRITER_LOCKED', feed: 'locked', pid });
    expect((refused as Error).message).toContain(`pid ${pid}`);
    expect(p.feedStatus('locked').writerPid).toBe(pid);
    expect(() => p.deleteFeed('locked')).toThrow(
      /already has a writer.*; cannot delete the feed while it is open/,
    );

    holder.process.kill('SIGKILL');
    await holder.exited;
    const w = p.createWriter('locked');
    w.writeTuple(checkedRecord(1));
    expect(p.createReader('locked').range(0, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
    w.close();
  });

  it('refuses a second writer in the same process too', () => {
    const p = t.open(t.base());
    p.createFeed(checkedSpec('same', 0.01));
    const w = p.createWriter('same');
    expect(() => p.createWriter('same')).toThrow(/already has a writer/);
    const other = new Platform(t.base());
    expect(() => other.createWriter('same')).toThrow(/already has a writer/);
    other.close();
    w.close();
    p.createWriter('same').close();
  });
});
