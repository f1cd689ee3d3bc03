import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { FakeEvent, FakeSession, FakeWebContents, shell, resetFakeElectron } from './fake-electron';
import { hardenWebContents, lockDownSession, openExternalSafely } from './guards';
import { appOriginCheck } from './origin';

vi.mock('electron', () => import('./fake-electron'));

function hardened(devServerUrl?: string) {
  const contents = new FakeWebContents();
  const logs: string[] = [];
  hardenWebContents(contents as unknown as WebContents, appOriginCheck(devServerUrl), (line) => logs.push(line));
  return { contents, logs };
}

describe('window open handler', () => {
  beforeEach(() => resetFakeElectron());

  it('denies every new window and opens http(s) links in the system browser', () => {
    const { contents } = hardened();
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    expect(open('https://docs.example.com/guide?x=1')).toEqual({ action: 'deny' });
    expect(open('http://localhost:8080/')).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://docs.example.com/guide?x=1', 'http://localhost:8080/']);
  });

  it('never hands javascript:, file:, custom schemes or garbage to the shell', () => {
    const { contents, logs } = hardened();
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://tenantscope/index.html',
      'data:text/html,<script>1</script>',
      'not a url',
      ' https://example.com',
    ]) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    // ' https://…' parses (URL trims spaces) to an https link, the one thing allowed through.
    expect(shell.opened).toEqual(['https://example.com/']);
    expect(logs).toHaveLength(7);
  });

  it('opens the normalised URL, not the raw string', () => {
    expect(openExternalSafely('HTTPS://Example.COM/a b', () => undefined)).toBe(true);
    expect(shell.opened).toEqual(['https://example.com/a%20b']);
  });
});

describe('navigation guards', () => {
  it('prevents navigation and redirects to another origin, allows the app’s own', () => {
    const { contents, logs } = hardened();
    const away = new FakeEvent('https://evil.example/phish?token=secret');
    const redirect = new FakeEvent('http://attacker.test/');
    const fileNav = new FakeEvent('file:///etc/passwd');
    const inApp = new FakeEvent('app://tenantscope/index.html#/workspaces');
    contents.emit('will-navigate', away);
    contents.emit('will-redirect', redirect);
    contents.emit('will-navigate', fileNav);
    contents.emit('will-navigate', inApp);
    expect([away, redirect, fileNav].map((e) => e.defaultPrevented)).toEqual([true, true, true]);
    expect(inApp.defaultPrevented).toBe(false);
    expect(logs.join('\n')).not.toContain('token=secret');
  });

  it('prevents subframe navigation away from the app', () => {
    const { contents } = hardened();
    const frameNav = new FakeEvent('https://evil.example/');
    contents.emit('will-frame-navigate', frameNav);
    expect(frameNav.defaultPrevented).toBe(true);
  });

  it('treats the dev server as the app’s origin only when one is configured', () => {
    const dev = new FakeEvent('http://localhost:5173/index.html');
    hardened('http://localhost:5173').contents.emit('will-navigate', dev);
    expect(dev.defaultPrevented).toBe(false);
    const packaged = new FakeEvent('http://localhost:5173/index.html');
    hardened().contents.emit('will-navigate', packaged);
    expect(packaged.defaultPrevented).toBe(true);
  });

  it('prevents attaching a <webview>', () => {
    const { contents } = hardened();
    const attach = new FakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('session permissions', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    lockDownSession(session as unknown as Session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      session.permissionRequestHandler?.({}, permission, (granted) => answers.push(granted), {});
      answers.push(session.permissionCheckHandler?.({}, permission, 'app://tenantscope', {}) ?? true);
    }
    answers.push(session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://tenantscope' }) ?? true);
    expect(answers).toHaveLength(13);
    expect(answers.every((granted) => granted === false)).toBe(true);
  });
});
