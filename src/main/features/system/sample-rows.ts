import { AppError } from '@shared/errors';

export const SAMPLE_COLUMNS = ['id', 'tenant_id', 'name', 'email', 'created_at', 'amount', 'currency', 'status'] as const;

const FIRST_NAMES = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ines', 'Jonas', 'Kenji', 'Lea'];
const LAST_NAMES = ['Almeida', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Huber', 'Ivanova', 'Jensen'];
const STATUSES = ['active', 'active', 'active', 'suspended', 'closed'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];
const TENANTS = 40;
const EPOCH = Date.UTC(2022, 0, 1);
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;
/** How many rows are built between two looks at the signal. */
const CHUNK = 5_000;

/** mulberry32: small, fast and the same on every machine, so a seed always gives the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)] as T;
}

function tenantId(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/**
 * Demo rows shaped like a customer table of a multi-tenant platform. Deterministic for a seed; a
 * long run yields to the event loop between chunks and stops when the signal aborts.
 */
export async function generateSampleRows(
  count: number,
  seed: number,
  signal?: AbortSignal,
): Promise<{ columns: string[]; rows: unknown[][] }> {
  const next = random(seed);
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % CHUNK === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new AppError('cancelled', 'Generating sample rows was cancelled');
    }
    const first = pick(FIRST_NAMES, next);
    const last = pick(LAST_NAMES, next);
    rows.push([
      i + 1,
      tenantId(1 + Math.floor(next() * TENANTS)),
      `${first} ${last}`,
      `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
      new Date(EPOCH + Math.floor(next() * SPAN_MS)).toISOString(),
      Math.round(next() * 1_000_000) / 100,
      pick(CURRENCIES, next),
      pick(STATUSES, next),
    ]);
  }
  return { columns: [...SAMPLE_COLUMNS], rows };
}
