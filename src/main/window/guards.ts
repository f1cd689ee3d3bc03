import { shell, type Session, type WebContents } from 'electron';
import type { AppOriginCheck } from './origin';

type Log = (line: string) => void;

/** For logs: the scheme and host of a refused URL, never its path or query (they may hold secrets). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : parsed.protocol;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Opens a link in the system browser only when it parses as an http(s) URL; the parsed, normalised
 * form is what the shell receives. `javascript:`, `file:`, `smb:`, custom app schemes and anything
 * unparseable are never handed to the OS.
 */
export function openExternalSafely(url: string, log: Log = console.warn): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    log(`Refused to open an unparseable link`);
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    log(`Refused to open a ${parsed.protocol} link outside the app`);
    return false;
  }
  void shell.openExternal(parsed.href).catch((error: unknown) => log(`Could not open ${describeUrl(parsed.href)}: ${String(error)}`));
  return true;
}

/**
 * Limits what any web contents of the app can do: no new windows (http(s) links go to the system
 * browser), no navigation or redirect away from the app's origin, no <webview>.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: AppOriginCheck, log: Log = console.warn): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, log);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault(): void }, url: string, kind: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log(`Blocked ${kind} to ${describeUrl(url)}`);
  };
  contents.on('will-navigate', (event) => keepInApp(event, event.url, 'navigation'));
  contents.on('will-frame-navigate', (event) => keepInApp(event, event.url, 'frame navigation'));
  contents.on('will-redirect', (event) => keepInApp(event, event.url, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>');
  });
}

/** The app needs no browser permission (camera, notifications, geolocation, HID…): deny them all. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
