/**
 * What stream({ signal }) needs of an AbortSignal. Declared here rather than naming the DOM/Node
 * global, so the published types compile for a consumer without @types/node or lib "dom"; Node's
 * and the DOM's AbortSignal both satisfy it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
