import { runArrowCli } from './cli.js';

process.exitCode = await runArrowCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
