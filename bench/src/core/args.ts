export interface CliArgs {
  quick: boolean;
  check: boolean;
  only: RegExp | undefined;
  jsonPath: string | undefined;
  targetsPath: string | undefined;
  /** Leave placement to the OS scheduler (compare with pinned runs to see placement effects). */
  noPin: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick] [--check] [--only <pattern>] [--json <path>] [--no-pin]

  --quick           smaller feeds and shorter runs (under 2 minutes on 2 cores)
  --check           exit 1 when a target in bench/targets.json falls short, naming each
  --only <pattern>  run only scenarios whose id contains <pattern> (or matches /regex/),
                    e.g. --only baseline, --only dw.latency, --only /ring|raw/
  --json <path>     write the results there instead of bench/results/<date>-<profile>.json
  --targets <path>  read targets from there instead of bench/targets.json
  --no-pin          do not pin processes with taskset (leave placement to the OS)
  --list            list the scenario ids and exit
`;

export function parseArgs(argv: readonly string[]): CliArgs & { list: boolean } {
  const args: CliArgs & { list: boolean } = {
    quick: false,
    check: false,
    only: undefined,
    jsonPath: undefined,
    targetsPath: undefined,
    noPin: false,
    help: false,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = (): string => {
      const next = inlineValue ?? argv[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--':
        break;
      case '--quick':
        args.quick = true;
        break;
      case '--check':
        args.check = true;
        break;
      case '--only':
        args.only = patternOf(value());
        break;
      case '--json':
        args.jsonPath = value();
        break;
      case '--targets':
        args.targetsPath = value();
        break;
      case '--no-pin':
        args.noPin = true;
        break;
      case '--list':
        args.list = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument "${arg}"\n\n${USAGE}`);
    }
  }
  return args;
}

function patternOf(text: string): RegExp {
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (slashed) return new RegExp(slashed[1], slashed[2]);
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
