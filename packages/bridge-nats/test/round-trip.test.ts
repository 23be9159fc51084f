import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorStream, replicateFeed } from '../src/index.js';
import { ALL_TYPES, allTypesRow, heldBytes, useBases } from './helpers/feeds.js';
import { type NatsServer, natsServerMissing, startNatsServer } from './helpers/nats-server.js';

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
});
