import type * as Sdk from '@deepwater/sdk';

/**
 * The @deepwater/sdk API the bench drives, under the bench's names: the sdk's own types (never
 * re-declared here, so a changed sdk API fails the bench's build instead of its run). The harness
 * still loads the sdk at run time through `loadSdk()`, so a scenario that cannot load it reports
 * "unavailable: <error>" while the baselines run.
 */
export type FieldSpec = Sdk.FeedFieldSpec;
export type FeedSpec = Sdk.FeedSpecInput;
export type FormatName = Sdk.FormatName;
export type SdkWriter = Sdk.Writer;
export type SdkReader = Sdk.Reader;
export type SdkPlatform = Sdk.Platform;
export type SdkModule = typeof Sdk;

const SDK = '@deepwater/sdk';

export async function loadSdk(): Promise<SdkModule> {
  let module: Partial<SdkModule>;
  try {
    // A variable specifier: the module is loaded when a scenario runs, not when the harness starts.
    module = (await import(SDK)) as Partial<SdkModule>;
  } catch (error) {
    throw new Error(
      `cannot load ${SDK} (build it: pnpm --filter @deepwater/bench... build): ${messageOf(error)}`,
    );
  }
  if (typeof module.Platform !== 'function') throw new Error(`${SDK} does not export Platform yet`);
  return module as SdkModule;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
