import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { HEADER_COUNT, HEADER_FIRST_SEQ } from '../../src/index.js';

export interface StreamContent {
  /** [firstSeq, count] of each record batch, in stream order. */
  spans: [number, number][];
  /** The batches' payloads concatenated. */
  bytes: Uint8Array;
}

/**
 * Reads every record batch of a stream, message by message (for exactly-once checks). Retried for
 * a while: right after a cluster node dies, requests time out until a new leader is elected.
 */
export async function walkStream(servers: string, stream: string, attempts = 1): Promise<StreamContent> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await walkOnce(servers, stream);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function walkOnce(servers: string, stream: string): Promise<StreamContent> {
  const nc = await connect({ servers: servers.split(',') });
  try {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    const info = await jsm.streams.info(stream);
    const spans: [number, number][] = [];
    const parts: Uint8Array[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      if (m === null || !m.subject.endsWith('.records')) continue;
      spans.push([Number(m.header.get(HEADER_FIRST_SEQ)), Number(m.header.get(HEADER_COUNT))]);
      parts.push(m.data);
    }
    return { spans, bytes: Buffer.concat(parts) };
  } finally {
    await nc.close();
  }
}

/** Messages the stream holds (0 while it does not exist): cheaper than a walk, for polling. */
export async function streamMessages(servers: string, stream: string): Promise<number> {
  const nc = await connect({ servers: servers.split(',') });
  try {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    return (await jsm.streams.info(stream)).state.messages;
  } catch {
    return 0;
  } finally {
    await nc.close();
  }
}

/** True when the spans cover 0..n-1 each exactly once, in order. */
export function contiguous(spans: readonly [number, number][], n: number): boolean {
  let next = 0;
  for (const [first, count] of spans) {
    if (first !== next) return false;
    next += count;
  }
  return next === n;
}

export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
