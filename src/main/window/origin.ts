/**
 * Where the renderer comes from. The packaged app serves it from its own privileged scheme
 * (`app://tenantscope/`), never `file://`; `electron-vite dev` serves it from a local dev server
 * instead, whose origin then counts as the app's own.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tenantscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Decides whether a URL belongs to the app; everything else is foreign. */
export type AppOriginCheck = (url: string) => boolean;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server to load instead of the app scheme: `ELECTRON_RENDERER_URL`, set by
 * `electron-vite dev`, honoured only in an unpackaged app and only for an http(s) server on this
 * machine, since its origin is trusted like the app's own.
 */
export function devServerUrlFrom(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  const url = isPackaged ? undefined : parse(env.ELECTRON_RENDERER_URL ?? '');
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return url.href;
}

/**
 * Builds the check. `app:` is not a WHATWG special scheme, so `URL.origin` is "null" for it:
 * scheme and host are compared instead (and `app://tenantscope.evil` or `app://x@tenantscope` do
 * not pass, because `host` and the absent credentials are compared exactly).
 */
export function appOriginCheck(devServerUrl?: string): AppOriginCheck {
  const dev = devServerUrl ? parse(devServerUrl) : undefined;
  const devOrigin = dev && (dev.protocol === 'http:' || dev.protocol === 'https:') ? dev.origin : undefined;
  return (url) => {
    const parsed = parse(url);
    if (!parsed || parsed.username !== '' || parsed.password !== '') return false;
    if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
    return devOrigin !== undefined && parsed.origin === devOrigin;
  };
}
