import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorStream, replicateFeed } from '../src/index.js';
import { ALL_TYPES, allTypesRow, heldBytes, TRADES, useBases } from './helpers/feeds.js';
import { type NatsServer, natsServerMissing, startNatsServer } from './helpers/nats-server.js';
import { until } from './helpers/stream-walk.js';

const missing = natsServerMissing();
if (missing !== undefined) console.warn(`skipping bridge round-trip tests: ${missing}`);

describe.skipIf(missing !== undefined)('replicate → JetStream → mirror', () => {
  let server: NatsServer & { dispose(): Promise<void> };
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const bases = useBases();

  async function roundTrip(persist: boolean, stream: string): Promise<void> {
    const sourceBase = bases.base();
    const source = bases.open(sourceBase);
    // 54-byte records, 10 per chunk (disk) or a 200-record ring: many rotations / wraps.
    source.createFeed({
      feedName: 'types',
      fields: ALL_TYPES,
      tsCol: 'ts',
      persist,
      chunkSizeBytes: persist ? 540 : 54 * 2000,
    });
    const writer = source.createWriter('types');
    const history = 700;
    const live = 500;
    for (let i = 0; i < history; i++) writer.writeTuple(allTypesRow(i));

    const replicator = await replicateFeed({
      servers: server.url,
      basePath: sourceBase,
      feed: 'types',
      baseId: stream.toLowerCase(),
      stream,
      batchBytes: 54 * 37, // many messages, none aligned with the chunks
      maxInFlight: 4,
    });
    // Live records arrive while the history is being published.
    for (let i = history; i < history + live; i++) {
      writer.writeTuple(allTypesRow(i));
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    while (replicator.stats.nextSeq < history + live) await new Promise((r) => setTimeout(r, 20));
    await replicator.close();
    expect(replicator.stats.records).toBe(history + live);

    const mirrorBase = bases.base();
    const mirror = await mirrorStream({
      servers: server.url,
      basePath: mirrorBase,
      feed: 'copy',
      stream,
      untilCaughtUp: true,
    });
    await mirror.done;
    const expected = heldBytes(source, 'types');
    const copy = heldBytes(bases.open(mirrorBase), 'copy');
    expect(copy.byteLength).toBe((history + live) * 54);
    expect(Buffer.from(copy).equals(Buffer.from(expected))).toBe(true);
    writer.close();
  }

  it('copies every record of every field type byte for byte, in order, over many chunk rotations', async () => {
    await roundTrip(true, 'RT_DISK');
  });

  it('copies a ring feed the same way', async () => {
    await roundTrip(false, 'RT_RING');
  });

  it('records a lapped ring lost before replication are skipped and counted by the mirror, seqs kept exact', async () => {
    const sourceBase = bases.base();
    const source = bases.open(sourceBase);
    source.createFeed({
      feedName: 'ring',
      fields: TRADES,
      tsCol: 'timestamp_us',
      persist: false,
      chunkSizeBytes: 2400,
    });
    const writer = source.createWriter('ring');
    let written = 0;
    const write = (count: number) => {
      for (let i = 0; i < count; i++, written++)
        writer.writeTuple([written, 1, 1_700_000_000_000_000 + written]);
    };
    const replicate = async () => {
      const r = await replicateFeed({
        servers: server.url,
        basePath: sourceBase,
        feed: 'ring',
        baseId: 'lapped',
        stream: 'LAPPED',
        untilCaughtUp: true,
      });
      await r.done;
      return r.stats;
    };
    write(50);
    await replicate();
    write(2000); // the ring laps: the seqs from 50 on are overwritten before the bridge runs again
    const stats = await replicate();
    expect(stats.lostRecords).toBeGreaterThan(0);
    const lost = stats.lostRecords;

    const strict = await mirrorStream({
      servers: server.url,
      basePath: bases.base(),
      feed: 'copy',
      stream: 'LAPPED',
      onGap: 'throw',
    });
    await expect(strict.done).rejects.toMatchObject({ code: 'ERR_BRIDGE_GAP' });

    const mirrorBase = bases.base();
    const mirror = await mirrorStream({
      servers: server.url,
      basePath: mirrorBase,
      feed: 'copy',
      stream: 'LAPPED',
      untilCaughtUp: true,
    });
    await mirror.done;
    expect(mirror.stats.lostRecords).toBe(lost);
    expect(mirror.stats.nextSeq).toBe(written);
    const local = bases.open(mirrorBase);
    const reader = local.createReader('copy');
    expect(reader.nextSeq()).toBe(written - lost); // every record not lost was written once
    reader.close();
    // The mirror is a ring of the same size: it holds the source's newest records, byte for byte.
    expect(Buffer.from(heldBytes(local, 'copy')).equals(Buffer.from(heldBytes(source, 'ring')))).toBe(true);
    writer.close();
  });

  it('publishes the schema again before the max age of the stream expires it, so a late mirror can decode', async () => {
    const sourceBase = bases.base();
    const source = bases.open(sourceBase);
    source.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    const writer = source.createWriter('trades');
    const maxAgeSeconds = 1.2;
    const replicator = await replicateFeed({
      servers: server.url,
      basePath: sourceBase,
      feed: 'trades',
      baseId: 'aging',
      stream: 'AGING',
      limits: { maxAgeHours: maxAgeSeconds / 3600 },
    });
    // Records keep flowing for three max ages: the first schema message expires meanwhile.
    const start = Date.now();
    for (let i = 0; Date.now() - start < 3 * maxAgeSeconds * 1000; i++) {
      writer.writeTuple([i, 1, 1_700_000_000_000_000 + i]);
      await new Promise((r) => setTimeout(r, 20));
    }
    const written = replicator.stats.nextSeq;
    await until(() => replicator.stats.recordsBehind === 0 && replicator.stats.nextSeq > 0, 'the replicator');
    await replicator.close();
    const mirror = await mirrorStream({
      servers: server.url,
      basePath: bases.base(),
      feed: 'copy',
      stream: 'AGING',
      untilCaughtUp: true,
    });
    await mirror.done;
    expect(mirror.stats.nextSeq).toBeGreaterThanOrEqual(written);
    writer.close();
  });

  it('starts at --from-seq when the stream is empty; the mirror keeps the source seqs through its offset', async () => {
    const sourceBase = bases.base();
    const source = bases.open(sourceBase);
    source.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    const writer = source.createWriter('trades');
    for (let i = 0; i < 300; i++) writer.writeTuple([i, 1, 1_700_000_000_000_000 + i]);
    const replicator = await replicateFeed({
      servers: server.url,
      basePath: sourceBase,
      feed: 'trades',
      baseId: 'fromseq',
      stream: 'FROMSEQ',
      fromSeq: 120,
      untilCaughtUp: true,
    });
    await replicator.done;
    expect(replicator.stats.records).toBe(180);
    const mirrorBase = bases.base();
    const mirror = await mirrorStream({
      servers: server.url,
      basePath: mirrorBase,
      feed: 'copy',
      stream: 'FROMSEQ',
      untilCaughtUp: true,
    });
    await mirror.done;
    expect(mirror.stats.nextSeq).toBe(300);
    const reader = source.createReader('trades');
    const expected = reader.rangeSeq(120, 300, { format: 'raw' });
    reader.close();
    expect(Buffer.from(heldBytes(bases.open(mirrorBase), 'copy')).equals(Buffer.from(expected))).toBe(true);
    writer.close();
  });
});
