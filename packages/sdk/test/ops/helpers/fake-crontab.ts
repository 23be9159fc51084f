import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stand-in for crontab(1) that keeps the table in a file, so tests never touch the real one. */
export function writeFakeCrontab(dir: string): { command: string; table: string } {
  const table = join(dir, 'crontab.txt');
  const command = join(dir, 'fake-crontab.sh');
  writeFileSync(
    command,
    [
      '#!/bin/sh',
      `TABLE='${table}'`,
      'if [ "$1" = "-l" ]; then',
      '  if [ -f "$TABLE" ]; then cat "$TABLE"; else echo "no crontab for tester" >&2; exit 1; fi',
      'elif [ "$1" = "-" ]; then',
      '  cat > "$TABLE"',
      'else',
      '  echo "usage: fake-crontab -l | -" >&2; exit 2',
      'fi',
      '',
    ].join('\n'),
  );
  chmodSync(command, 0o755);
  return { command, table };
}
