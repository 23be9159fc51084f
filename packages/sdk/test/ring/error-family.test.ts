// One error family: the writer-lock refusal reads the same for disk and ring feeds, and every
// exported error class is a DeepwaterError with a stable code.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BaseUnavailableError,
  checkHealth,
  DeepwaterError,
  NoSpaceError,
  OverrunError,
} from '../../src/index.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();

function thrown(action: () => unknown): DeepwaterError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DeepwaterError);
    return error as DeepwaterError;
  }
  throw new Error('did not throw');
}

describe('one error family', () => {
  it('a second writer is refused with one message for disk and ring feeds, naming feed, pid and lock', () => {
    const messages: string[] = [];
    for (const persist of [true, false]) {
      const name = persist ? 'disk' : 'ring';
      const p = t.open();
      p.createFeed(tradeSpec(name, { persist, chunkSizeMb: mbFor(100) }));
      const w = p.createWriter(name);
      const error = thrown(() => t.open().createWriter(name));
      expect(error).toMatchObject({ code: 'ERR_WRITER_LOCKED', feed: name, pid: process.pid });
      expect(error.message).toContain(`pid ${process.pid}`);
      messages.push(error.message.replace(name, 'FEED').replace(error.path ?? '', 'LOCK'));
      const refusedDelete = thrown(() => p.deleteFeed(name));
      expect(refusedDelete.code).toBe('ERR_WRITER_LOCKED');
      expect(refusedDelete.message).toMatch(
        /already has a writer .*; cannot delete the feed while it is open/,
      );
      w.close();
      p.deleteFeed(name);
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toBe(
      `Feed "FEED" already has a writer (pid ${process.pid}); cannot open a second writer while it is open (one writer per feed; lock LOCK)`,
    );
  });

  it('BaseUnavailableError, OverrunError and NoSpaceError are DeepwaterErrors with stable codes', () => {
    const missing = join(t.base(), 'missing');
    const error = thrown(() => checkHealth(missing));
    expect(error).toBeInstanceOf(BaseUnavailableError);
    expect(error).toMatchObject({
      code: 'ERR_BASE_UNAVAILABLE',
      path: missing,
      name: 'BaseUnavailableError',
    });
    expect(new OverrunError('x', 1)).toMatchObject({ code: 'ERR_OVERRUN', name: 'OverrunError' });
    expect(new NoSpaceError('x', 0)).toMatchObject({ code: 'ERR_NO_SPACE', name: 'NoSpaceError' });
  });
});
