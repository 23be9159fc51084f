import { DeepwaterError, type DeepwaterErrorCode } from '@deepwater/sdk';

export type BridgeErrorCode = Extract<
  DeepwaterErrorCode,
  | 'ERR_BRIDGE_UNREACHABLE'
  | 'ERR_BRIDGE_CONFLICT'
  | 'ERR_BRIDGE_SCHEMA_MISMATCH'
  | 'ERR_BRIDGE_STREAM'
  | 'ERR_BRIDGE_GAP'
>;

export interface BridgeErrorContext {
  feed?: string;
  stream?: string;
  server?: string;
  cause?: unknown;
}

/**
 * A failure of the bridge itself (server, stream, schema), with a stable code:
 * - ERR_BRIDGE_UNREACHABLE: no server answered within the connect attempts.
 * - ERR_BRIDGE_CONFLICT: another publisher wrote to the stream (a second replicator on one feed).
 * - ERR_BRIDGE_SCHEMA_MISMATCH: the local feed's schema differs from the stream's.
 * - ERR_BRIDGE_STREAM: the stream is missing, has no schema, or holds a message the bridge cannot read.
 * - ERR_BRIDGE_GAP: the records a mirror needs next are no longer in the stream (or were never published).
 */
export class BridgeError extends DeepwaterError {
  readonly stream?: string;
  readonly server?: string;

  constructor(code: BridgeErrorCode, message: string, context: BridgeErrorContext = {}) {
    super(code, message, {
      ...(context.feed === undefined ? {} : { feed: context.feed }),
      ...(context.cause === undefined ? {} : { cause: context.cause }),
    });
    this.name = 'BridgeError';
    if (context.stream !== undefined) this.stream = context.stream;
    if (context.server !== undefined) this.server = context.server;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
