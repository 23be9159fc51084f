import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorStream, replicateFeed } from '../src/index.js';
import { heldBytes, TRADES, useBases } from './helpers/feeds.js';
import { natsServerMissing, startNatsCluster } from './helpers/nats-server.js';
import { contiguous, until, walkStream } from './helpers/stream-walk.js';

const missing = natsServerMissing();
if (missing !== undefined) console.warn(`skipping bridge cluster test: ${missing}`);

describe.skipIf(missing !== undefined)('a 3-node JetStream cluster', () => {
  let cluster: Awaited<ReturnType<typeof startNatsCluster>>;
  beforeAll(async () => {
    cluster = await startNatsCluster();
  });
  afterAll(async () => {
    await cluster?.dispose();
  });
  const bases = useBases();

  it('an R3 stream survives a node killed mid-stream: the bridge continues with nothing lost', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us', chunkSizeBytes: 24 * 1000 });
    const writer = p.createWriter('trades');
    let written = 0;
    const write = (count: number) => {
      const rows: unknown[][] = [];
      for (let i = 0; i < count; i++, written++) rows.push([written, 1, 1_700_000_000_000_000 + written]);
      writer.writeBatch(rows);
    };
    write(5_000);
    const replicator = await replicateFeed({
      servers: cluster.urls,
      basePath: base,
      feed: 'trades',
      baseId: 'cluster',
      stream: 'CLUSTER',
      batchBytes: 24 * 100,
      ackTimeoutMs: 2000,
      limits: { replicas: 3 },
    });
    await until(() => replicator.stats.nextSeq === 5_000, 'the history to be replicated', 60_000);
    write(2_000);
    await cluster.nodes[0]?.stop('SIGKILL');
    write(3_000);
    await until(() => replicator.stats.nextSeq === written, 'the replicator to catch up', 60_000);
    await replicator.close();
    const survivors = cluster.nodes
      .slice(1)
      .map((n) => n.url)
      .join(',');
    const content = await walkStream(survivors, 'CLUSTER', 20);
    expect(contiguous(content.spans, written)).toBe(true);
    expect(Buffer.from(content.bytes).equals(Buffer.from(heldBytes(p, 'trades')))).toBe(true);

    const mirrorBase = bases.base();
    const mirror = await mirrorStream({
      servers: survivors,
      basePath: mirrorBase,
      feed: 'copy',
      stream: 'CLUSTER',
      untilCaughtUp: true,
    });
    await mirror.done;
    expect(
      Buffer.from(heldBytes(bases.open(mirrorBase), 'copy')).equals(Buffer.from(heldBytes(p, 'trades'))),
    ).toBe(true);
    writer.close();
  });
});
