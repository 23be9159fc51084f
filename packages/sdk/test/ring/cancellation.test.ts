// stream({ signal }) and disposal, against disk feeds (persist: true) and ring feeds (persist: false).
import { describe, expect, it } from 'vitest';
import { type Platform, Platform as PlatformClass } from '../../src/index.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();

describe.each([{ persist: true }, { persist: false }])(
  'cancellation with persist: $persist',
  ({ persist }) => {
    function feed(): Platform {
      const p = t.open();
      p.createFeed(tradeSpec('trades', { persist, chunkSizeMb: mbFor(1_000) }));
      return p;
    }
    function cleanup(p: Platform): void {
      p.close();
      t.open().deleteFeed('trades');
    }

    it('aborting ends a for await parked on an idle feed, after the records it had', async () => {
      const p = feed();
      const w = p.createWriter('trades');
      const r = p.createReader('trades');
      const controller = new AbortController();
      const stream = r.stream({ signal: controller.signal });
      const seen: unknown[] = [];
      const loop = (async () => {
        for await (const record of stream) {
          seen.push(record);
          // Abort once the loop is parked again on the now idle feed.
          if (seen.length === 2) setTimeout(() => controller.abort(), 20);
        }
      })();
      w.writeValues(1, 1, 1_000);
      w.writeValues(2, 2, 1_001);
      await loop;
      expect(seen).toEqual([
        [1, 1, 1_000],
        [2, 2, 1_001],
      ]);
      expect(stream.closed).toBe(true);
      expect(r.closed).toBe(false);
      w.writeValues(3, 3, 1_002);
      expect(r.readAvailable()).toEqual([]); // the reader itself still works
      cleanup(p);
    });

    it('aborting ends a parked for await at once: before a 10 ms timer armed with the abort', async () => {
      const p = feed();
      const r = p.createReader('trades');
      const controller = new AbortController();
      const stream = r.stream({ signal: controller.signal });
      const loop = (async () => {
        for await (const _ of stream) throw new Error('yielded on an idle feed');
        return 'ended';
      })();
      await new Promise((resolve) => setTimeout(resolve, 30)); // parked on the idle feed
      controller.abort();
      // The abort settles the park itself (no poll): the loop ends in the abort's microtasks,
      // before the timer phase can run, however loaded the machine.
      const timer = new Promise((resolve) => setTimeout(() => resolve('timer'), 10));
      expect(await Promise.race([loop, timer])).toBe('ended');
      cleanup(p);
    });

    it('aborting from a sync loop body ends the iteration at its next poll', () => {
      const p = feed();
      const w = p.createWriter('trades');
      for (let i = 0; i < 5; i++) w.writeValues(i, 1, 1_000 + i);
      const controller = new AbortController();
      const r = p.createReader('trades');
      let count = 0;
      for (const _ of r.stream({ start: 0, signal: controller.signal })) {
        count += 1;
        if (count === 3) controller.abort();
      }
      expect(count).toBe(3);
      cleanup(p);
    });

    it('a stream given an already aborted signal yields nothing, sync or async', async () => {
      const p = feed();
      const w = p.createWriter('trades');
      w.writeValues(1, 1, 1_000);
      const r = p.createReader('trades');
      const signal = AbortSignal.abort();
      expect([...r.stream({ start: 0, signal })]).toEqual([]);
      const stream = r.stream({ start: 0, signal });
      expect(stream.closed).toBe(true);
      for await (const _ of stream) throw new Error('yielded after abort');
      expect(r.range(0, 2_000)).toHaveLength(1);
      cleanup(p);
    });

    it('refuses a signal that is not an AbortSignal, naming the feed', () => {
      const p = feed();
      const r = p.createReader('trades');
      expect(() => r.stream({ signal: { aborted: false } as unknown as AbortSignal })).toThrow(
        /Feed "trades": stream signal must be an AbortSignal, got Object/,
      );
      cleanup(p);
    });

    it('closing the reader ends a parked for await', async () => {
      const p = feed();
      const r = p.createReader('trades');
      const loop = (async () => {
        let n = 0;
        for await (const _ of r.stream()) n += 1;
        return n;
      })();
      setTimeout(() => r.close(), 20);
      expect(await loop).toBe(0);
      cleanup(p);
    });

    it('await using and using close streams, readers, writers and the platform', async () => {
      const setup = t.open();
      setup.createFeed(tradeSpec('trades', { persist, chunkSizeMb: mbFor(1_000) }));
      setup.close();
      const disposed: { closed: boolean }[] = [];
      {
        using p = new PlatformClass(t.base());
        disposed.push(p);
        {
          using w = p.createWriter('trades');
          using r = p.createReader('trades');
          disposed.push(w, r);
          w.writeValues(1, 1, 1_000);
          {
            await using s = r.stream({ start: 0 });
            disposed.push(s);
            expect(s.tryNext()).toEqual([1, 1, 1_000]);
          }
          expect(disposed.map((o) => o.closed)).toEqual([false, false, false, true]);
        }
        expect(disposed.map((o) => o.closed)).toEqual([false, true, true, true]);
        p.createWriter('trades').close(); // the disposed writer released the feed
      }
      expect(disposed.map((o) => o.closed)).toEqual([true, true, true, true]);
      t.open().deleteFeed('trades');
    });
  },
);
