import type { Client, estypes } from '@elastic/elasticsearch';
import { AppError } from '@shared/errors';
import { sleep } from '../backoff';
import type { Deadline } from '../execution';

/**
 * Long Elasticsearch work as cluster tasks: by-query writes run as background tasks that are
 * polled and cancelled through the tasks API, and a search whose HTTP request was aborted has its
 * task cancelled by its X-Opaque-Id, so stopping the console's call stops the cluster's work.
 */

/** How often a by-query task is polled. */
const TASK_POLL_MS = 250;

/**
 * Starts work with `wait_for_completion: false` and waits for its task. When the deadline stops
 * (cancel, timeout) the task is cancelled on the cluster and the deadline's error is thrown; other
 * failures are thrown as they are. Returns the task's response.
 */
export async function runClusterTask(
  client: Client,
  deadline: Deadline,
  what: string,
  server: string,
  start: (signal: AbortSignal) => Promise<{ task?: estypes.TaskId }>,
): Promise<unknown> {
  let taskId: string | undefined;
  const cancelTask = (): void => {
    if (taskId) client.tasks.cancel({ task_id: taskId }).catch(() => undefined);
  };
  deadline.signal.addEventListener('abort', cancelTask, { once: true });
  try {
    const started = await deadline.race(start(deadline.signal), what);
    taskId = started.task === undefined ? undefined : String(started.task);
    if (!taskId) throw new AppError('internal', `${server} did not return a task for ${what.replace(/^The /, 'the ')}.`);
    for (;;) {
      const task = await deadline.race(client.tasks.get({ task_id: taskId }, { signal: deadline.signal }), what);
      if (task.completed) {
        if (task.error) throw new AppError('internal', `${what} failed: ${task.error.reason ?? task.error.type}`);
        return task.response;
      }
      await sleep(TASK_POLL_MS, deadline.signal);
    }
  } catch (error) {
    if (deadline.reason) {
      cancelTask();
      throw deadline.error(what);
    }
    throw error;
  } finally {
    deadline.signal.removeEventListener('abort', cancelTask);
  }
}

/** Finds the tasks started by one request (by X-Opaque-Id) and cancels them. Best effort. */
export async function cancelTasksByOpaqueId(client: Client, actions: string, opaqueId: string): Promise<void> {
  try {
    const listed = await client.tasks.list({ actions, detailed: true, group_by: 'none' });
    const listedTasks: unknown = listed.tasks ?? [];
    const tasks = (Array.isArray(listedTasks) ? listedTasks : Object.values(listedTasks as object)) as estypes.TasksTaskInfo[];
    for (const task of tasks) {
      if (task.headers?.['X-Opaque-Id'] === opaqueId && task.cancellable) {
        await client.tasks.cancel({ task_id: `${task.node}:${task.id}` });
      }
    }
  } catch {
    // The request's own abort already closed the connection; this is the second line.
  }
}
