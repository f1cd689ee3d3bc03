/** Numbers as a dense table shows them: 12 345, 1.2 M. */
export function formatCount(value: number): string {
  if (value >= 10_000_000) return `${(value / 1_000_000).toFixed(0)} M`;
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)} M`;
  return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Bytes in the largest unit that keeps the figure at or above 1. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/** A TTL as people read it: "no TTL", "45 s", "12 min", "3 h", "2 d". */
export function formatTtl(ttlMs: number | null): string {
  if (ttlMs === null || ttlMs < 0) return 'no TTL';
  const s = ttlMs / 1000;
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${(s / 3600).toFixed(s < 36_000 ? 1 : 0)} h`;
  return `${(s / 86_400).toFixed(s < 864_000 ? 1 : 0)} d`;
}

/** How long ago an ISO time was, coarsely; the exact time goes in a title attribute. */
export function formatAge(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A date and time for a dense column: `2026-06-25 07:56`, local time. */
export function formatShortTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A date and time in the person's locale, or the text as it came when it is not a date. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
