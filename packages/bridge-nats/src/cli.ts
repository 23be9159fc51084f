import { runCli } from './cli-program.js';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// Exit explicitly: a drained connection's timers must not keep a finished command alive.
process.exit(code);
