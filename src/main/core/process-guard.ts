/**
 * The last line of defence of the main process: an `'error'` event nobody listened for or a
 * promise rejection nobody handled is logged with its code and the console keeps serving, instead
 * of the whole app (and every open store connection) dying on one library's mistake. Each such log
 * line is a bug to fix where it was thrown; this only keeps the operator's console open meanwhile.
 */
const guarded = new WeakSet<object>();

export function guardProcess(log: (line: string) => void, target: Pick<NodeJS.Process, 'on' | 'off'> = process): () => void {
  // One guard per process, however often an entry point is loaded (tests load it many times).
  if (guarded.has(target)) return () => undefined;
  guarded.add(target);
  const describe = (kind: string, error: unknown): string => {
    const code = (error as { code?: unknown } | undefined)?.code;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return `Tenantscope kept running after an ${kind} (${typeof code === 'string' || typeof code === 'number' ? code : 'no code'}): ${text}`;
  };
  const onException = (error: unknown): void => log(describe('uncaught exception', error));
  const onRejection = (reason: unknown): void => log(describe('unhandled promise rejection', reason));
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    guarded.delete(target);
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
