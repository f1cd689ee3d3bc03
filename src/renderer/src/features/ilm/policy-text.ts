import { policyProblems, type PolicyProblem } from '@shared/model/ilm';

/**
 * The policy editor's text: parsed, checked with the same schema main checks with, each problem
 * placed on the key it names so Monaco can mark it, and the change against the stored policy
 * listed path by path for the review before saving.
 */

/** Where a key or value starts in JSON text, by dotted path (`phases.warm.actions.shrink`). */
export function locatePaths(text: string): Map<string, number> {
  const found = new Map<string, number>();
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return text.slice(start + 1, at - 1);
    }
  };
  const value = (path: string): void => {
    skipSpace();
    if (!found.has(path)) found.set(path, at);
    const c = text[at];
    if (c === '{') {
      at++;
      for (;;) {
        skipSpace();
        if (text[at] === '}' || at >= text.length) break;
        if (text[at] !== '"') return;
        const keyAt = at;
        const key = readString();
        const child = path ? `${path}.${key}` : key;
        found.set(child, keyAt);
        skipSpace();
        if (text[at] !== ':') return;
        at++;
        const before = found.get(child);
        value(child);
        if (before !== undefined) found.set(child, before);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (c === '[') {
      at++;
      for (let i = 0; ; i++) {
        skipSpace();
        if (text[at] === ']' || at >= text.length) break;
        value(path ? `${path}.${i}` : String(i));
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (c === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,}\]]/.test(text[at] ?? '')) at++;
    }
  };
  value('');
  return found;
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

export interface CheckedPolicy {
  /** The parsed policy, when the text is JSON. */
  policy: unknown;
  problems: PolicyProblem[];
}

/** Parses and checks the editor's text: a JSON error, or the schema's problems placed on their keys. */
export function checkPolicyText(text: string): CheckedPolicy {
  let policy: unknown;
  try {
    policy = JSON.parse(text) as unknown;
  } catch (error) {
    const offset = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const where = lineColumn(text, offset ? Number(offset) : text.length);
    return { policy: undefined, problems: [{ path: '', message: `Not JSON: ${error instanceof Error ? error.message : String(error)}`, ...where }] };
  }
  const positions = locatePaths(text);
  const problems = policyProblems(policy).map((problem) => {
    // The nearest enclosing key that exists in the text (a missing field is marked on its parent).
    let path = problem.path;
    while (path && !positions.has(path)) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    return { ...problem, ...lineColumn(text, positions.get(path) ?? 0) };
  });
  return { policy, problems };
}

export interface PolicyChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What saving would change, leaf by leaf: added, removed and changed paths in the stored policy. */
export function policyChanges(stored: unknown, edited: unknown, path = ''): PolicyChange[] {
  if (isObject(stored) && isObject(edited)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(edited)])];
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in edited)) return [{ path: child, kind: 'removed' as const, before: stored[key] }];
      if (!(key in stored)) return [{ path: child, kind: 'added' as const, after: edited[key] }];
      return policyChanges(stored[key], edited[key], child);
    });
  }
  return JSON.stringify(stored) === JSON.stringify(edited) ? [] : [{ path, kind: 'changed', before: stored, after: edited }];
}
