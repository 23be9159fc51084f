/**
 * The bundled session replayed through the real websocket path into real Deepwater feeds, then read
 * back with the sdk's readers and checked against an independent reading of the fixture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform } from '@deepwater/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeepwaterSink } from '../src/feeds/deepwater-sink.js';
import { EventKind, FLAG_SNAPSHOT } from '../src/feeds/schemas.js';
import { readSession } from '../src/record/session-file.js';
import { replaySession } from '../src/replay.js';
import { Ingester } from '../src/session/ingester.js';
import { FIXTURE, type FixtureReference, readReference } from './helpers/fixture-reference.js';
import { ScriptedServer } from './helpers/scripted-server.js';

const END = Number.MAX_SAFE_INTEGER;
let dir: string;
let base: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dw-test-ingest-'));
  base = join(dir, 'data');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('replaying the bundled session into Deepwater', () => {
  let ref: FixtureReference;
  let platform: Platform;

  beforeAll(async () => {
    ref = readReference();
    const sink = new DeepwaterSink(base, { chunkSizeMb: 0.0625 }); // 64 KiB chunks: the replay rotates chunks
    await replaySession({ segments: await readSession(FIXTURE), sink, speed: 'max' });
    sink.close();
    platform = new Platform(base);
  });

  afterAll(() => platform.close());

  it('creates a trades, an L2 and an events feed per product', () => {
    const names = platform.listFeeds().map((f) => f.name);
    expect(names.sort()).toEqual(
      ref.products.flatMap((p) => [`CB-EVENTS-${p}`, `CB-L2-${p}`, `CB-TRADES-${p}`]).sort(),
    );
    expect(platform.getRecordFormat('CB-TRADES-BTC-USD').tsCol).toBe('recv_us');
  });

  it('lands exactly the expected trades, with exact prices and sizes', () => {
    for (const product of ref.products) {
      const reader = platform.createReader(`CB-TRADES-${product}`, { int64: 'bigint' });
      const rows = reader.range(0, END, { format: 'object' });
      reader.close();
      expect(
        rows.map((r) => ({
          tradeId: r.trade_id,
          price: r.price,
          size: r.size,
          side: r.side,
          exchangeUs: r.exchange_us,
          packetUs: r.packet_us,
          seq: r.seq,
        })),
      ).toEqual(ref.trades.get(product));
    }
  });

  it('lands exactly the expected L2 levels in arrival order', () => {
    for (const product of ref.products) {
      const reader = platform.createReader(`CB-L2-${product}`, { int64: 'bigint' });
      const rows = reader.range(0, END, { format: 'object' });
      reader.close();
      expect(
        rows.map((r) => ({
          price: r.price,
          qty: r.qty,
          side: r.side,
          exchangeUs: r.exchange_us,
          snapshot: (Number(r.flags) & FLAG_SNAPSHOT) !== 0,
          seq: r.seq,
        })),
      ).toEqual(ref.levels.get(product));
    }
  });

  it('records the sequence gap and the disconnects in each events feed', () => {
    for (const product of ref.products) {
      const reader = platform.createReader(`CB-EVENTS-${product}`);
      const events = reader.range(0, END, { format: 'object' });
      reader.close();
      const kinds = events.map((e) => e.kind);
      expect(kinds.filter((k) => k === EventKind.SEQUENCE_GAP)).toHaveLength(1);
      expect(kinds.filter((k) => k === EventKind.DISCONNECT)).toHaveLength(ref.disconnects);
      expect(kinds.filter((k) => k === EventKind.RESNAPSHOT)).toHaveLength(ref.disconnects);
      const gap = events.find((e) => e.kind === EventKind.SEQUENCE_GAP)!;
      expect([gap.from_value, gap.to_value]).toEqual(ref.sequenceGaps[0]);
    }
  });

  it('lets a range query on recv_us select what arrived in a window', () => {
    const reader = platform.createReader('CB-L2-BTC-USD');
    const all = reader.range(0, END);
    const middle = all[Math.floor(all.length / 2)][0] as number;
    const firstHalf = reader.range(0, middle);
    const secondHalf = reader.range(middle, END);
    reader.close();
    expect(firstHalf.length + secondHalf.length).toBe(all.length);
    expect(secondHalf[0][0]).toBe(middle);
  });
});

describe('unsubscribing with Deepwater feeds', () => {
  it('closes the product writers so another process can take them', async () => {
    const server = await ScriptedServer.start();
    const unsubBase = join(dir, 'unsub');
    const sink = new DeepwaterSink(unsubBase);
    const ingester = new Ingester({
      url: server.url,
      products: ['BTC-USD', 'ETH-USD'],
      sink,
      heartbeatTimeoutMs: 0,
    });
    const tryWriter = (feed: string) =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'fixtures/try-writer.ts'), unsubBase, feed],
        {
          encoding: 'utf8',
        },
      ).trim();
    try {
      ingester.start();
      await server.until(() => server.connections[0]?.received.length === 3, 'subscribes');
      expect(tryWriter('CB-TRADES-ETH-USD')).toMatch(/^ERR_WRITER_LOCKED: .*CB-TRADES-ETH-USD/);
      ingester.unsubscribe(['ETH-USD']);
      for (const feed of ['CB-TRADES-ETH-USD', 'CB-L2-ETH-USD', 'CB-EVENTS-ETH-USD'])
        expect(tryWriter(feed)).toBe('ok');
      expect(tryWriter('CB-TRADES-BTC-USD')).toMatch(/^ERR_WRITER_LOCKED/);
    } finally {
      await ingester.stop();
      sink.close();
      await server.close();
    }
  }, 60_000);
});
