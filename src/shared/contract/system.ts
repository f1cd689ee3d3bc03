import { z } from 'zod';
import { events, method, section } from './define';

/** The app itself: how it runs, and a round trip for checking the transport. */
export const system = section('system', {
  info: method({
    access: 'app',
    summary: 'How this console is running: version, desktop or web mode, the data directory.',
    args: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      mode: z.enum(['desktop', 'web']),
      dataDir: z.string(),
      vault: z.enum(['safe-storage', 'key-file', 'passphrase']),
    }),
  }),
  ping: method({
    access: 'app',
    summary: 'Echoes a value back; used to measure the transport.',
    args: z.object({ echo: z.string().max(1024).optional() }).strict(),
    result: z.object({ echo: z.string().optional(), at: z.string() }),
  }),
  sampleRows: method({
    access: 'app',
    summary:
      'Generates deterministic demo rows (id, tenant, name, email, created_at, amount…); used to measure ' +
      'how the transport carries a large result.',
    args: z.object({ count: z.number().int().min(1).max(200_000), seed: z.number().int().optional() }).strict(),
    result: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) }),
  }),
});

export const systemEvents = events({});
