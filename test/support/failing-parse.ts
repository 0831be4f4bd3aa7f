// An import's parse that fails as a full disk would, after the writer's first commit (16k events):
// what was committed of the file must then be undone with it.
import { parseFile } from '../../main/ingest/parse-file';
import type { ParseBatches } from '../../main/import/parse-contract';

export const failsAfterFirstCommit: ParseBatches = async function* (path, format) {
  let written = 0;
  for await (const b of parseFile(path, format, { batchSize: 2_000 })) {
    if (written > 16_384) throw new Error('disk went away');
    written += b.events.length;
    yield b;
  }
};
