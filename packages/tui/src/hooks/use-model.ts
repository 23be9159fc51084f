import { useSyncExternalStore } from 'react';
import type { DashboardModel } from '../data/model.js';
import type { Poller } from '../data/poller.js';

/** Re-renders on every poll; the poller's rate (not React) bounds the refresh rate. */
export function useModel(poller: Poller): DashboardModel | null {
  return useSyncExternalStore(
    (listener) => poller.subscribe(listener),
    () => poller.getModel(),
  );
}
