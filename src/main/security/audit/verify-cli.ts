import { parseArgs } from 'node:util';
import { AppError } from '@shared/errors';
import { cursorFileOf, readShipCursor } from './shipper';
import { verifyJournal } from './verify';

const USAGE = 'usage: npm run audit:verify -- --journal FILE [--json] [--no-cursor]';

/**
 * Recomputes a journal's chain. Exit 0 only when it is intact; 1 when it is not; 2 when it could
 * not be checked. The shipped cursor beside the journal, when there is one, also catches entries
 * cut from the end.
 */
export async function main(argv: string[]): Promise<number> {
  let values: { journal?: string; json?: boolean; 'no-cursor'?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { journal: { type: 'string' }, json: { type: 'boolean' }, 'no-cursor': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (!values.journal) {
    console.error(USAGE);
    return 2;
  }
  try {
    const cursor = values['no-cursor'] ? undefined : await readShipCursor(cursorFileOf(values.journal));
    const result = await verifyJournal(values.journal, cursor ? { anchor: { seq: cursor.seq, hash: cursor.hash } } : {});
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (result.intact) console.log(`intact: ${result.entries} entries, last ${result.lastSeq} (${result.lastHash})`);
    else console.log(`NOT INTACT (${result.problem?.kind}) at line ${result.problem?.line}: ${result.problem?.message}`);
    return result.intact ? 0 : 1;
  } catch (error) {
    console.error(error instanceof AppError ? error.message : `The journal could not be checked: ${String(error)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  process.exitCode = await main(process.argv.slice(2));
}
