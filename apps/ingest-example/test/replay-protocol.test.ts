/**
 * The bundled session replayed through the real websocket path into an in-memory sink: checks the
 * ingest protocol (what is stored, which events are recorded) independently of storage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../src/feeds/memory-sink.js';
import { EventKind, FLAG_AFTER_RECONNECT, FLAG_LAST_IN_EVENT, FLAG_SNAPSHOT } from '../src/feeds/schemas.js';
import { readSession } from '../src/record/session-file.js';
import { replaySession } from '../src/replay.js';
import { FIXTURE, type FixtureReference, readReference } from './helpers/fixture-reference.js';

const big = (v: unknown) => BigInt(v as number | bigint);

// The server in this thread (as tests usually run it) and in a child process (as the bench runs it).
describe.each([{ server: 'inline' as const }, { server: 'process' as const }])(
  'replaying the bundled session into memory (server $server)',
  ({ server }) => {
    let ref: FixtureReference;
    let sink: MemorySink;
    let result: Awaited<ReturnType<typeof replaySession>>;

    beforeAll(async () => {
      ref = readReference();
      sink = new MemorySink();
      const source =
        server === 'inline' ? { segments: await readSession(FIXTURE) } : { file: FIXTURE, server };
      result = await replaySession({ ...source, sink, speed: 'max' });
    });

    it('stores every unique trade once, oldest first, with exact values', () => {
      for (const product of ref.products) {
        const rows = sink.rows(`CB-TRADES-${product}`);
        const expected = ref.trades.get(product)!;
        expect(rows.length).toBe(expected.length);
        rows.forEach((row, i) => {
          const [, packetUs, exchangeUs, tradeId, price, size, seq, side] = row;
          expect({
            tradeId: big(tradeId),
            price: big(price),
            size: big(size),
            side,
            exchangeUs: big(exchangeUs),
            packetUs: big(packetUs),
            seq: big(seq),
          }).toEqual(expected[i]);
        });
      }
    });

    it('stores every L2 level in arrival order with exact values', () => {
      for (const product of ref.products) {
        const rows = sink.rows(`CB-L2-${product}`);
        const expected = ref.levels.get(product)!;
        expect(rows.length).toBe(expected.length);
        rows.forEach((row, i) => {
          const [, , exchangeUs, price, qty, seq, side, flags] = row as number[];
          expect({
            price: big(price),
            qty: big(qty),
            side,
            exchangeUs: big(exchangeUs),
            snapshot: (flags & FLAG_SNAPSHOT) !== 0,
            seq: big(seq),
          }).toEqual(expected[i]);
        });
      }
    });

    it('marks snapshots taken after a reconnect and the end of each event', () => {
      for (const product of ref.products) {
        const rows = sink.rows(`CB-L2-${product}`) as number[][];
        const flags = rows.map((r) => r[7]);
        const snapshotStarts = flags.filter(
          (f, i) => (f & FLAG_SNAPSHOT) !== 0 && (i === 0 || (flags[i - 1] & FLAG_LAST_IN_EVENT) !== 0),
        );
        expect(snapshotStarts.map((f) => (f & FLAG_AFTER_RECONNECT) !== 0)).toEqual([false, true, true]);
        expect(flags.at(-1)! & FLAG_LAST_IN_EVENT).toBe(FLAG_LAST_IN_EVENT);
      }
    });

    it('keeps recv_us non-decreasing in every feed', () => {
      for (const [, rows] of sink.feeds) {
        for (let i = 1; i < rows.length; i++)
          expect(rows[i][0] as number).toBeGreaterThanOrEqual(rows[i - 1][0] as number);
      }
    });

    it('records the sequence gap, both disconnects, the reconnects and the (re)snapshots per product', () => {
      for (const product of ref.products) {
        const events = sink.rows(`CB-EVENTS-${product}`) as number[][];
        const of = (kind: number) => events.filter((e) => e[4] === kind);
        expect(of(EventKind.SEQUENCE_GAP).map((e) => [e[1], e[2]])).toEqual(ref.sequenceGaps);
        expect(of(EventKind.DISCONNECT)).toHaveLength(ref.disconnects);
        expect(of(EventKind.RECONNECT)).toHaveLength(ref.disconnects);
        expect(of(EventKind.SNAPSHOT)).toHaveLength(1);
        expect(of(EventKind.RESNAPSHOT)).toHaveLength(ref.snapshots.get(product)! - 1);
        expect(of(EventKind.TRADE_ID_GAP).map((e) => [big(e[1]), big(e[2])])).toEqual(
          ref.tradeIdGaps.get(product),
        );
        // The gap is seen on connection 1; the next connection is a reconnect.
        expect(of(EventKind.SEQUENCE_GAP)[0][3]).toBe(1);
        expect(of(EventKind.RECONNECT).map((e) => e[3])).toEqual([2, 3]);
      }
    });

    it('counts what it saw', () => {
      const m = result.ingester.metrics.snapshot();
      expect(m.sequenceGaps).toBe(ref.sequenceGaps.length);
      expect(m.badFrames).toBe(0);
      expect(m.writeErrors).toBe(0);
      // Recorded acknowledgements are replaced by the server's own: one per subscribe (3 channels × 3 connections).
      expect(m.messages.total).toBe(ref.frames);
      expect(m.duplicateTrades).toBeGreaterThan(0);
    });

    it('closes every writer when it stops', () => {
      expect(sink.openProducts.size).toBe(0);
    });
  },
);
