import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeError, mirrorStream, replicateFeed } from '../src/index.js';
import { heldBytes, TRADES, useBases } from './helpers/feeds.js';
import { freePort, type NatsServer, natsServerMissing, startNatsServer } from './helpers/nats-server.js';
import { contiguous, until, walkStream } from './helpers/stream-walk.js';

const missing = natsServerMissing();
if (missing !== undefined) console.warn(`skipping bridge error tests: ${missing}`);

function writeTrades(
  p: ReturnType<ReturnType<typeof useBases>['open']>,
  feed: string,
  from: number,
  count: number,
) {
  const writer = p.createWriter(feed);
  const rows: unknown[][] = [];
  for (let i = from; i < from + count; i++) rows.push([i * 0.5, i % 97, 1_700_000_000_000_000 + i]);
  writer.writeBatch(rows);
  writer.close();
}

describe.skipIf(missing !== undefined)('refusals and errors', () => {
  let server: NatsServer & { dispose(): Promise<void> };
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const bases = useBases();

  it('a second replicator on one feed is refused with ERR_BRIDGE_CONFLICT; the stream keeps each seq once', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    writeTrades(p, 'trades', 0, 1000);
    const options = {
      servers: server.url,
      basePath: base,
      feed: 'trades',
      baseId: 'twice',
      stream: 'TWICE',
      batchBytes: 2400,
    };
    const first = await replicateFeed(options);
    await until(() => first.stats.nextSeq === 1000, 'the first replicator to catch up');
    const second = await replicateFeed(options);
    // Both follow the feed live; the next records make them race for the same stream position.
    const failures: unknown[] = [];
    // The refused one is named by its own rejection, not by a flag set in a later microtask.
    const refused = new Set<unknown>();
    for (const h of [first, second]) {
      h.done.catch((e: unknown) => {
        refused.add(h);
        failures.push(e);
      });
    }
    let total = 1000;
    await until(() => {
      writeTrades(p, 'trades', total, 100);
      total += 100;
      return failures.length > 0;
    }, 'one replicator to be refused');
    const failure = failures[0];
    expect(failure).toBeInstanceOf(BridgeError);
    expect((failure as BridgeError).code).toBe('ERR_BRIDGE_CONFLICT');
    expect((failure as BridgeError).message).toMatch(/another publisher.*second replicator/);
    // The other carries on alone.
    expect(refused.size).toBe(1);
    const survivor = refused.has(first) ? second : first;
    await until(() => survivor.stats.nextSeq === total, 'the survivor to catch up');
    await first.close();
    await second.close();
    const content = await walkStream(server.url, 'TWICE');
    expect(contiguous(content.spans, total)).toBe(true);
    expect(Buffer.from(content.bytes).equals(Buffer.from(heldBytes(p, 'trades')))).toBe(true);
  });

  it('a mirror into a feed with another schema is refused naming both schemas, and writes nothing', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    writeTrades(p, 'trades', 0, 100);
    const replicator = await replicateFeed({
      servers: server.url,
      basePath: base,
      feed: 'trades',
      baseId: 'mismatch',
      stream: 'MISMATCH',
      untilCaughtUp: true,
    });
    await replicator.done;
    const mirrorBase = bases.base();
    const local = bases.open(mirrorBase);
    local.createFeed({
      feedName: 'copy',
      fields: [
        { name: 'price', type: 'float32' },
        { name: 'timestamp_us', type: 'uint64' },
      ],
      tsCol: 'timestamp_us',
    });
    const attempt = mirrorStream({
      servers: server.url,
      basePath: mirrorBase,
      feed: 'copy',
      stream: 'MISMATCH',
    });
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_BRIDGE_SCHEMA_MISMATCH' });
    await expect(attempt).rejects.toThrow(
      /<fQ price:float32 timestamp_us:uint64.*<ddQ price:float64 size:float64/,
    );
    expect(heldBytes(local, 'copy').byteLength).toBe(0);
  });

  it('an unreachable server: a clear error after the allowed attempts, with back-off between them', async () => {
    const base = bases.base();
    bases.open(base).createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    const port = await freePort();
    const delays: number[] = [];
    const attempt = replicateFeed({
      servers: `nats://127.0.0.1:${port}`,
      basePath: base,
      feed: 'trades',
      connectAttempts: 3,
      backoffMs: 10,
      onRetry: (_attempt, delay) => delays.push(delay),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_BRIDGE_UNREACHABLE' });
    await expect(attempt).rejects.toThrow(new RegExp(`nats://127.0.0.1:${port} unreachable after 3 attempt`));
    expect(delays).toEqual([10, 20]);
  });

  it('a server that comes up while the bridge retries: it connects and replicates', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    writeTrades(p, 'trades', 0, 500);
    const port = await freePort();
    let late: (NatsServer & { dispose(): Promise<void> }) | undefined;
    let starting: Promise<void> | undefined;
    try {
      const replicator = await replicateFeed({
        servers: `nats://127.0.0.1:${port}`,
        basePath: base,
        feed: 'trades',
        baseId: 'late',
        backoffMs: 50,
        untilCaughtUp: true,
        onRetry: (attempt) => {
          if (attempt === 1) {
            starting = startNatsServer(port).then((s) => {
              late = s;
            });
          }
        },
      });
      await replicator.done;
      expect(replicator.stats.nextSeq).toBe(500);
    } finally {
      await starting?.catch(() => {});
      await late?.dispose();
    }
  });

  it('a replicator whose feed changed layout is refused by a stream holding the old records', async () => {
    const base = bases.base();
    const p = bases.open(base);
    p.createFeed({ feedName: 'trades', fields: TRADES, tsCol: 'timestamp_us' });
    writeTrades(p, 'trades', 0, 10);
    const options = {
      servers: server.url,
      basePath: base,
      feed: 'trades',
      baseId: 'relayout',
      untilCaughtUp: true,
    };
    await (await replicateFeed(options)).done;
    // The feed is recreated with another layout under the same name.
    p.deleteFeed('trades');
    p.createFeed({
      feedName: 'trades',
      fields: [
        { name: 'price', type: 'float32' },
        { name: 'timestamp_us', type: 'uint64' },
      ],
      tsCol: 'timestamp_us',
    });
    const second = await replicateFeed(options);
    await expect(second.done).rejects.toMatchObject({ code: 'ERR_BRIDGE_SCHEMA_MISMATCH' });
    await expect(second.done).rejects.toThrow(/<fQ .*holds records of <ddQ/);
    // Another feed pointed at that stream is refused too, naming what the stream captures.
    p.createFeed({ feedName: 'other', fields: TRADES, tsCol: 'timestamp_us' });
    const wrong = await replicateFeed({ ...options, feed: 'other', stream: 'DW_RELAYOUT_TRADES' });
    await expect(wrong.done).rejects.toMatchObject({ code: 'ERR_BRIDGE_STREAM' });
    await expect(wrong.done).rejects.toThrow(
      /captures \["deepwater.relayout.trades.\*"\], not deepwater.relayout.other/,
    );
  });
});
