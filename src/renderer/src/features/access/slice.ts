import type { StateCreator } from 'zustand';
import type { AccessSession, Operator } from '@shared/model/operator';
import { api } from '../../api';
import type { ReasonInput } from '../../components/ReasonDialog';
import { justifyArgs, needKey, type JustificationNeed } from './needs';

/** The access state of one workspace as the header shows it. */
export interface AccessEntry {
  session: AccessSession | null;
  loading: boolean;
  error: string | null;
}

/** A reason the console is waiting for: the dialog shows the first one. */
export interface ReasonRequest {
  key: string;
  need: JustificationNeed;
}

export interface AccessSlice {
  /** Per workspace id. */
  access: Record<string, AccessEntry>;
  reasonRequests: ReasonRequest[];
  /** Reads who works in a workspace, with which role and which live reasons. */
  loadAccess(workspaceId: string): Promise<AccessSession | null>;
  /** Changes name, email or role; rejects with the server's AppError (a managed workspace refuses). */
  saveOperator(workspaceId: string, operator: Operator): Promise<void>;
  /** Gives a reason for a need and reads the session again so the header shows it. */
  giveReason(need: JustificationNeed, input: ReasonInput): Promise<void>;
  /**
   * Asks the person for a reason and resolves true once one is given, false if they cancel. Asking
   * again for the same scope while the dialog is open waits for the same answer.
   */
  askForReason(need: JustificationNeed): Promise<boolean>;
  /** The dialog's answer to the first request. */
  settleReasonRequest(key: string, given: boolean): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The promises behind open requests; kept outside the store because they are not state to render.
const waiting = new Map<string, { promise: Promise<boolean>; resolve(given: boolean): void }>();

export const createAccessSlice: StateCreator<AccessSlice, [], [], AccessSlice> = (set, get) => ({
  access: {},
  reasonRequests: [],

  async loadAccess(workspaceId) {
    const previous = get().access[workspaceId];
    set((state) => ({ access: { ...state.access, [workspaceId]: { session: previous?.session ?? null, loading: true, error: null } } }));
    try {
      const session = await api().access.session({ workspaceId });
      set((state) => ({ access: { ...state.access, [workspaceId]: { session, loading: false, error: null } } }));
      return session;
    } catch (error) {
      set((state) => ({
        access: { ...state.access, [workspaceId]: { session: previous?.session ?? null, loading: false, error: messageOf(error) } },
      }));
      return null;
    }
  },

  async saveOperator(workspaceId, operator) {
    const session = await api().access.setOperator({ workspaceId, name: operator.name, email: operator.email, role: operator.role });
    set((state) => ({ access: { ...state.access, [workspaceId]: { session, loading: false, error: null } } }));
  },

  async giveReason(need, input) {
    await api().access.justify(justifyArgs(need, input));
    await get().loadAccess(need.workspaceId);
  },

  askForReason(need) {
    const key = needKey(need);
    const open = waiting.get(key);
    // A promise whose request left the store (the store was reset) answers nobody any more.
    if (open && get().reasonRequests.some((request) => request.key === key)) return open.promise;
    let resolve: (given: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((done) => {
      resolve = done;
    });
    waiting.set(key, { promise, resolve });
    set((state) => ({ reasonRequests: [...state.reasonRequests, { key, need }] }));
    return promise;
  },

  settleReasonRequest(key, given) {
    waiting.get(key)?.resolve(given);
    waiting.delete(key);
    set((state) => ({ reasonRequests: state.reasonRequests.filter((request) => request.key !== key) }));
  },
});

/** The role of the operator in a workspace, once the session has been read. */
export function roleIn(state: Pick<AccessSlice, 'access'>, workspaceId: string | null | undefined): AccessSession['operator']['role'] | undefined {
  return workspaceId ? state.access[workspaceId]?.session?.operator.role : undefined;
}
