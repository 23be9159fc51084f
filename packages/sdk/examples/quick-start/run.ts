// `pnpm --filter @deepwater/sdk demo`: a writer process and a reader process on a temporary base
// directory, history + live, exiting by itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'deepwater-demo-'));
console.log(`base directory: ${base}`);

function run(script: string, onLine?: (line: string) => void): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), base], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    process.stdout.write(text);
    for (const line of text.split('\n')) onLine?.(line);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

// The reader joins once the writer has created the feed and its history, while it is live.
let startReader: () => void = () => {};
const historyWritten = new Promise<void>((resolve) => {
  startReader = resolve;
});
const writer = run('writer.ts', (line) => {
  if (line.includes('historical')) startReader();
});
await Promise.race([historyWritten, writer]);
const codes = await Promise.all([writer, run('reader.ts')]);
rmSync(base, { recursive: true, force: true });
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
