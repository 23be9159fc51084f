import { EXIT_ERROR } from './exit-codes.js';

/** An error the CLI reports as one line on stderr with a chosen exit code (no stack trace). */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
