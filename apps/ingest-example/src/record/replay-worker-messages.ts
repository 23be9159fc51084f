/** What a replay server running in a worker thread or a child process reports to its owner. */
export type ReplayWorkerMessage =
  | { type: 'listening'; url: string; products: string[]; segments: number }
  | { type: 'finished'; framesSent: number }
  | { type: 'closed'; framesSent: number }
  | { type: 'log'; message: string }
  | { type: 'error'; message: string };
