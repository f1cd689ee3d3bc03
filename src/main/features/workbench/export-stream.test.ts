import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { UserQueryPart } from '../../stores/user-query';
import { exportStages, type ExportCounts, type ExportFormat } from './export-stream';
import type { ResultMasking } from './result-masking';

const support: ResultMasking = { role: 'support', unmaskedPaths: () => [] };

async function* parts(list: UserQueryPart[], pulled: string[] = []): AsyncGenerator<UserQueryPart, void, undefined> {
  try {
    for (const [index, part] of list.entries()) {
      pulled.push(`part ${index}`);
      yield part;
    }
  } finally {
    pulled.push('returned');
  }
}

async function exported(list: UserQueryPart[], format: ExportFormat, engine: 'postgres' | 'mongo' = 'postgres'): Promise<{ text: string; counts: ExportCounts }> {
  const counts: ExportCounts = { rows: 0, truncated: false, width: 0 };
  const chunks: Buffer[] = [];
  const collect = new PassThrough();
  collect.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  await pipeline([...exportStages({ parts: parts(list), engine, masking: support }, format, counts), collect]);
  return { text: Buffer.concat(chunks).toString('utf8'), counts };
}

describe('exports: CSV as COPY writes it, JSON lines', () => {
  it('writes NULL as nothing, an empty string as "", and quotes delimiters, quotes and line breaks', async () => {
    const { text, counts } = await exported(
      [
        { kind: 'columns', columns: [{ name: 'a', type: 'text' }, { name: 'b,c', type: 'text' }, { name: 'n', type: 'int4' }] },
        { kind: 'rows', rows: [[null, '', '1'], ['x,y', 'say "hi"', '2'], ['line\nbreak', 'cr\rhere', null], ['  spaced ', '\\.', '3']] },
      ],
      'csv',
    );
    expect(text).toBe('a,"b,c",n\n,"",1\n"x,y","say ""hi""",2\n"line\nbreak","cr\rhere",\n  spaced ,\\.,3\n');
    expect(counts).toMatchObject({ rows: 4, truncated: false });
  });

  it('quotes \\. when it is the only value of a row, as COPY does, and writes the header of an empty result', async () => {
    const single = await exported([{ kind: 'columns', columns: [{ name: 'v', type: 'text' }] }, { kind: 'rows', rows: [['\\.'], ['x']] }], 'csv');
    expect(single.text).toBe('v\n"\\."\nx\n');
    const empty = await exported([{ kind: 'columns', columns: [{ name: 'id', type: 'int4' }] }], 'csv');
    expect(empty.text).toBe('id\n');
  });

  it('masks what the caller may not see, in the file as in the grid', async () => {
    const { text } = await exported([{ kind: 'columns', columns: [{ name: 'email', type: 'text' }] }, { kind: 'rows', rows: [['ann@example.com']] }], 'csv');
    expect(text).toBe('email\na***@e***.com\n');
  });

  it('writes JSON lines with typed values and says when the row limit cut the result', async () => {
    const { text, counts } = await exported(
      [
        { kind: 'columns', columns: [{ name: 'id', type: 'int4' }, { name: 'doc', type: 'jsonb' }, { name: 'big', type: 'int8' }] },
        { kind: 'rows', rows: [['1', '{"k": [1, 2]}', '9007199254740993']] },
        { kind: 'truncated' },
      ],
      'json',
    );
    expect(text).toBe('{"id":1,"doc":{"k":[1,2]},"big":"9007199254740993"}\n');
    expect(counts).toMatchObject({ rows: 1, truncated: true });
  });

  it('pulls the runner only as the destination takes the bytes, and returns it when the destination fails', async () => {
    const pulled: string[] = [];
    const many: UserQueryPart[] = [{ kind: 'columns', columns: [{ name: 'v', type: 'text' }] }];
    for (let i = 0; i < 200; i += 1) many.push({ kind: 'rows', rows: Array.from({ length: 100 }, () => ['x'.repeat(100)]) });
    const counts: ExportCounts = { rows: 0, truncated: false, width: 0 };
    let written = 0;
    const failing = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        // A disk that fills after 100 kB.
        done(written > 100_000 ? new Error('disk full') : null);
      },
    });
    await expect(pipeline([...exportStages({ parts: parts(many, pulled), engine: 'postgres', masking: support }, 'csv', counts), failing])).rejects.toThrow('disk full');
    expect(pulled.at(-1)).toBe('returned');
    // Far fewer than the 201 parts were read from the store before the failure stopped the run.
    expect(pulled.length).toBeLessThan(40);
  });
});
