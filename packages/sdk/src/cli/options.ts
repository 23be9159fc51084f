import { type Command, InvalidArgumentError } from 'commander';

/** Options every command takes, so `deepwater <cmd> --base-path X --json` works the same everywhere. */
export interface CommonOptions {
  basePath: string;
  json?: boolean;
}

export const DEFAULT_BASE_PATH = './data';

export function withCommonOptions(command: Command, json = true): Command {
  command.option('-b, --base-path <path>', 'the Deepwater base directory', DEFAULT_BASE_PATH);
  if (json) command.option('--json', 'machine-readable JSON on stdout (fields documented in docs/cli.md)');
  return command;
}

/** Commander argument parser for integers with a lower bound, naming the option in the error. */
export function integerOption(name: string, min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`${name} expects an integer >= ${min}, got "${text}"`);
    }
    return value;
  };
}

export function numberOption(name: string, min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min) {
      throw new InvalidArgumentError(`${name} expects a number >= ${min}, got "${text}"`);
    }
    return value;
  };
}
