/**
 * The Content-Security-Policy of the renderer, the same in the desktop window and in web mode.
 * Monaco runs its language workers from the app's own origin (`worker-src 'self' blob:`) and
 * injects styles at run time (`style-src 'unsafe-inline'`); nothing is ever loaded from elsewhere.
 * `connect-src` admits the app's own origin only: in web mode the WebSocket is same-origin.
 */
export function contentSecurityPolicy(options: { connectOrigins?: string[] } = {}): string {
  const connect = ["'self'", ...(options.connectOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
