import type { Command } from 'commander';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { withBase } from '../open-platform.js';
import { type CommonOptions, withCommonOptions } from '../options.js';
import { formatBytes, renderTable, writeJson } from '../output.js';
import type { CommandResult } from '../program.js';
import { formatTimestamp, UNIT_NAMES } from '../timestamps.js';

export function registerDescribe(program: Command, io: CliIo, result: CommandResult): void {
  const command = program
    .command('describe')
    .argument('<feed>', 'feed name')
    .description("a feed's schema (fields, offsets, struct format) and lifecycle settings");
  withCommonOptions(command).action(async (feed: string, options: CommonOptions) => {
    const description = await withBase(options.basePath, (platform) => {
      const info = platform.describeFeed(feed);
      const format = platform.getRecordFormat(feed);
      return { ...info, tsOffset: format.tsOffset, lifecycle: platform.lifecycle(feed) };
    });
    if (options.json) {
      writeJson(io.stdout, description);
    } else {
      const d = description;
      const lines = [
        `feed ${d.name}  (${d.persist ? 'disk chunks' : 'shared-memory ring'}, mode ${d.mode})`,
        `  path          ${d.path}`,
        `  created       ${formatTimestamp(d.createdUs)}`,
        `  record        ${d.recordSize} bytes, struct format ${d.fmt}`,
        `  timestamp     ${d.tsCol} at offset ${d.tsOffset}, ${UNIT_NAMES[d.tsUnit]} since the epoch (tsUnit ${d.tsUnit})`,
        `  ${d.persist ? 'chunk size' : 'ring size '}    ${formatBytes(d.chunkSizeBytes)} (${d.chunkSizeBytes} bytes)`,
        `  retention     ${d.retentionHours === 0 ? 'keep forever (0)' : `${d.retentionHours} h`}`,
        `  durability    ${d.durability}`,
        `  index         ${d.mode === 'IF' ? `time index${d.indexPlayback ? ', used for playback' : ''}` : 'none'}`,
        '',
        'fields:',
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
      const table = renderTable(
        ['offset', 'size', 'type', 'name', 'description'],
        d.fields.map((f) => [
          f.offset,
          f.size,
          f.type,
          f.name === d.tsCol ? `${f.name} (timestamp)` : f.name,
          f.desc ?? '',
        ]),
      );
      io.stdout.write(table.replace(/^/gm, '  ').replace(/ +$/, ''));
      for (const f of d.fields) {
        if (f.labels === undefined) continue;
        const values = Object.entries(f.labels).map(([value, label]) => `${value} ${label}`);
        io.stdout.write(`\nvalues of ${f.name}: ${values.join(', ')}\n`);
      }
    }
    result.exitCode = EXIT_OK;
  });
}
