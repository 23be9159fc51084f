import { Box, Text } from 'ink';
import { useEffect, useMemo, useReducer } from 'react';
import type { StateThresholds } from './data/feed-state.js';
import { DEFAULT_THRESHOLDS } from './data/feed-state.js';
import { Poller } from './data/poller.js';
import { filterFeeds, sortFeeds } from './data/sort.js';
import type { StatusSource } from './data/types.js';
import type { UiState } from './data/ui-state.js';
import { currentSelection, INITIAL_UI_STATE, uiReducer } from './data/ui-state.js';
import { useDashboardKeys } from './hooks/use-dashboard-keys.js';
import { useLatestRecords } from './hooks/use-latest-records.js';
import { useModel } from './hooks/use-model.js';
import type { TerminalSize } from './hooks/use-terminal-size.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { Bridges, bridgesHeight } from './views/bridges.js';
import { FeedDetail } from './views/feed-detail.js';
import { FeedTable } from './views/feed-table.js';
import { Header } from './views/header.js';
import { Help } from './views/help.js';
import { Storage } from './views/storage.js';

export interface AppProps {
  source: StatusSource;
  /** Supply one to drive sampling yourself (tests); otherwise the App polls `source` every `pollIntervalMs`. */
  poller?: Poller;
  pollIntervalMs?: number;
  /** How often the detail view re-reads the newest records; 0 reads them once per feed shown. */
  recordsIntervalMs?: number;
  thresholds?: StateThresholds;
  /** Pins the layout size instead of following the terminal. */
  size?: Partial<TerminalSize>;
  initialUi?: Partial<UiState>;
  onQuit?: () => void;
}

const HEADER_LINES = 3;
const DETAIL_RECORDS = 8;

/** The dashboard: header, then the feed table + storage line (+ the NATS bridges), the detail of one feed, or help. */
export function App({
  source,
  poller: givenPoller,
  pollIntervalMs = 500,
  recordsIntervalMs = 1000,
  thresholds = DEFAULT_THRESHOLDS,
  size: fixedSize,
  initialUi,
  onQuit = () => {},
}: AppProps) {
  const poller = useMemo(
    () => givenPoller ?? new Poller(source, { intervalMs: pollIntervalMs, thresholds }),
    [givenPoller, source, pollIntervalMs, thresholds],
  );
  useEffect(() => {
    if (givenPoller) return;
    poller.start();
    return () => poller.stop();
  }, [poller, givenPoller]);

  const model = useModel(poller);
  const { columns, rows } = useTerminalSize(fixedSize);
  const [ui, dispatch] = useReducer(uiReducer, { ...INITIAL_UI_STATE, ...initialUi });

  const allFeeds = model?.feeds ?? [];
  const feeds = sortFeeds(filterFeeds(allFeeds, ui.filterDraft ?? ui.filter), ui.sortKey, ui.sortReversed);
  const visible = feeds.map((f) => f.feed.name);
  const selected = currentSelection(ui, visible);
  const selectedView = allFeeds.find(
    (f) => f.feed.name === (ui.screen === 'detail' ? ui.selected : selected),
  );

  const storageLines = 1 + (model?.storage.findings.filter((f) => f.active).length ?? 0);
  const bridges = model?.bridges ?? [];
  const bridgeLines = bridges.length === 0 ? 0 : 1 + bridgesHeight(bridges);
  const tableHeight = Math.max(3, rows - HEADER_LINES - storageLines - bridgeLines - 1);
  useDashboardKeys(ui, dispatch, visible, Math.max(1, tableHeight - 2), onQuit);

  const records = useLatestRecords(
    source,
    ui.screen === 'detail' ? (selectedView?.feed.name ?? null) : null,
    DETAIL_RECORDS,
    selectedView?.rate1m ?? null,
    recordsIntervalMs,
  );

  if (!model) {
    return <Text>{`Reading ${source.basePath}…`}</Text>;
  }
  const nowUs = model.snapshot.takenAtUs;
  return (
    <Box flexDirection="column" width={columns}>
      <Header model={model} ui={ui} width={columns} />
      {model.snapshot.error ? (
        <Text color="red" wrap="truncate">{`! ${model.snapshot.error}`}</Text>
      ) : (
        <Text> </Text>
      )}
      {ui.screen === 'help' ? (
        <Help thresholds={thresholds} width={columns} />
      ) : ui.screen === 'detail' && selectedView ? (
        <FeedDetail
          view={selectedView}
          schema={records.schema}
          latest={records.latest}
          nowUs={nowUs}
          width={columns}
          height={rows - HEADER_LINES}
        />
      ) : (
        <>
          <FeedTable
            feeds={feeds}
            selected={selected}
            width={columns}
            height={tableHeight}
            emptyMessage={
              allFeeds.length === 0
                ? 'No feeds in this base yet. They appear here as soon as a writer creates one.'
                : `No feed matches "${ui.filterDraft ?? ui.filter}".`
            }
          />
          <Box marginTop={1}>
            <Storage storage={model.storage} nowUs={nowUs} width={columns} />
          </Box>
          {bridges.length === 0 ? null : (
            <Box marginTop={1}>
              <Bridges bridges={bridges} width={columns} />
            </Box>
          )}
        </>
      )}
    </Box>
  );
}
