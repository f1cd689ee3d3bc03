/**
 * Whether `work` has settled before the event loop reaches its next check phase. A call answered
 * from the store's own state (a down store failing fast) settles in microtasks; one that waits on
 * a socket, a timer or a retry cannot, however fast the machine. An order, not a stopwatch, so a
 * loaded machine cannot make it flaky. Start `work` just before calling this.
 */
export async function settlesWithoutWaiting(work: Promise<unknown>): Promise<boolean> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
