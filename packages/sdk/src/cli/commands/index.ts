import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import type { CommandResult } from '../program.js';
import { registerCleanup } from './cleanup.js';
import { registerDashboard } from './dashboard.js';
import { registerDescribe } from './describe.js';
import { registerDump } from './dump.js';
import { registerFeeds } from './feeds.js';
import { registerHealth } from './health.js';
import { registerMigrate } from './migrate.js';
import { registerRepair } from './repair.js';
import { registerTail } from './tail.js';

/** Adds one subcommand to the program; its action stores the exit code in `result`. */
export type RegisterCommand = (program: Command, io: CliIo, result: CommandResult) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerFeeds,
  registerDescribe,
  registerDump,
  registerTail,
  registerHealth,
  registerCleanup,
  registerRepair,
  registerMigrate,
  registerDashboard,
];
