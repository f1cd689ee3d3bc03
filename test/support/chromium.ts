/**
 * The system Chromium the browser tests drive (playwright-core never downloads one), with the flags
 * a closed, headless machine needs: no sandbox as root, no GPU, and no background networking that
 * would only knock on closed doors.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
