import { expect } from 'vitest';

/** A CSP header as directive name → its sources, lower-cased names; a repeated directive is kept twice. */
export function cspDirectives(header: string): Array<{ name: string; sources: string[] }> {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [name = '', ...sources] = part.split(/\s+/);
      return { name: name.toLowerCase(), sources };
    });
}

/**
 * The renderer's policy, pinned directive by directive rather than compared with the function that
 * builds it: no eval, no inline or foreign script, no plugins, never framed, no <base> rewriting.
 * `script-src` falls back to `default-src` when absent, so the check reads whichever applies.
 */
export function expectHardenedCsp(header: string | string[] | null | undefined): void {
  expect(typeof header, 'one Content-Security-Policy header').toBe('string');
  const directives = cspDirectives(typeof header === 'string' ? header : '');
  const names = directives.map((d) => d.name);
  expect(new Set(names).size, `a directive is repeated in ${String(header)}`).toBe(names.length);
  const sourcesOf = (name: string): string[] | undefined => directives.find((d) => d.name === name)?.sources;

  const everySource = directives.flatMap((d) => d.sources);
  expect(everySource).not.toContain("'unsafe-eval'");
  expect(everySource).not.toContain("'wasm-unsafe-eval'");

  expect(sourcesOf('default-src')).toEqual(["'none'"]);
  const scripts = sourcesOf('script-src') ?? sourcesOf('default-src');
  expect(scripts).toEqual(["'self'"]);
  for (const name of ['script-src-elem', 'script-src-attr']) expect(sourcesOf(name), name).toBeUndefined();

  expect(sourcesOf('object-src')).toEqual(["'none'"]);
  expect(sourcesOf('frame-ancestors')).toEqual(["'none'"]);
  expect(["'none'", "'self'"]).toContain((sourcesOf('base-uri') ?? []).join(' '));
}
