import type { Redis } from 'ioredis';
import type { Deadline } from '../execution';
import { pipelineCommands, type RedisWrite } from './commands';

const WRITE_BATCH_SIZE = 1000;

export interface BatchOutcome {
  commands: number;
  failed: { index: number; message: string }[];
}

/** Sends the writes through pipelines of 1000 commands; a command Redis refused is reported by the index of its write. */
export async function writeInBatches(client: Redis, writes: readonly RedisWrite[], deadline: Deadline): Promise<BatchOutcome> {
  const commands = writes.flatMap((write, index) => pipelineCommands(write).map((command) => ({ index, command })));
  const failed: { index: number; message: string }[] = [];
  for (let start = 0; start < commands.length; start += WRITE_BATCH_SIZE) {
    deadline.throwIfStopped('The bulk write');
    const chunk = commands.slice(start, start + WRITE_BATCH_SIZE);
    const pipeline = client.pipeline();
    for (const { command } of chunk) pipeline.call(...command);
    const replies = await deadline.race(pipeline.exec(), 'The bulk write');
    replies?.forEach(([error], i) => {
      const item = chunk[i];
      if (error && item) failed.push({ index: item.index, message: error.message });
    });
  }
  return { commands: commands.length, failed };
}
