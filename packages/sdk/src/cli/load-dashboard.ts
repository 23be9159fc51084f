import { loadOptionalExport } from './load-optional.js';

export interface DashboardRunOptions {
  basePath: string;
  refreshHz?: number;
}

export type RunDashboard = (options: DashboardRunOptions) => Promise<void>;

export const TUI_MISSING =
  'install @deepwater/tui to use the dashboard (npm install @deepwater/tui, next to @deepwater/sdk)';

/** Loads `runDashboard` from @deepwater/tui: installed beside the sdk, or in one of `fromDirs`. */
export function loadDashboard(fromDirs: readonly string[]): Promise<RunDashboard> {
  return loadOptionalExport<RunDashboard>(
    { name: '@deepwater/tui', exportName: 'runDashboard', missing: TUI_MISSING },
    fromDirs,
  );
}
