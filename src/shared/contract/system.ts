import { z } from 'zod';
import { events, method, section } from './define';

/** The app itself: how it runs, and a round trip for checking the transport. */
export const system = section('system', {
  info: method({
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
    summary: 'Echoes a value back; used to measure the transport.',
    args: z.object({ echo: z.string().max(1024).optional() }).strict(),
    result: z.object({ echo: z.string().optional(), at: z.string() }),
  }),
});

export const systemEvents = events({});
