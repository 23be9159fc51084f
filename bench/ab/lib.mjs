// Shared by the A/B scripts: the bench's 24-byte tick feed, filled as the bench's replay child
// fills it (writeBatch of 10 000 rows, timestamp_ns = the record's index).
export const TICK_FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'float64' },
  { name: 'timestamp_ns', type: 'uint64' },
];

/**
 * Creates disk feed `feedName` of 24-byte ticks on `platform` and writes `records` of them.
 * `chunkSizeMb`: the feed's chunk size (undefined: the sdk's default, as the bench uses);
 * record i has timestamp i * `tsStep`.
 */
export function fillTicks(platform, feedName, records, chunkSizeMb, tsStep = 1) {
  platform.createFeed({
    feedName,
    fields: TICK_FIELDS,
    tsCol: 'timestamp_ns',
    persist: true,
    ...(chunkSizeMb === undefined ? {} : { chunkSizeMb }),
  });
  const writer = platform.createWriter(feedName);
  const rows = Array.from({ length: 10_000 }, () => [101.25, 3, 0]);
  for (let done = 0; done < records; done += rows.length) {
    for (let i = 0; i < rows.length; i++) rows[i][2] = (done + i) * tsStep;
    writer.writeBatch(rows);
  }
  writer.close();
}
