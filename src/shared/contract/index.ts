import type { z } from 'zod';
import type { MethodSpec, ResultOf, ArgsOf, ParsedArgsOf } from './define';
import { system, systemEvents } from './system';
import { workspaces, workspaceEvents } from './workspaces';
import { vault } from './vault';
import { tenants, tenantEvents } from './tenants';
import { cases } from './cases';
import { clients } from './clients';
import { access } from './access';
import { audit } from './audit';
import { explain } from './explain';
import { jobs, jobEvents } from './jobs';
import { workbench, workbenchEvents } from './workbench';
import { indexes, indexEvents } from './indexes';
import { partitions } from './partitions';
import { backups } from './backups';
import { ilm } from './ilm';
import { retention } from './retention';
import { lifecycle } from './lifecycle';
import { storeBackups } from './store-backups';

/**
 * The whole contract between renderer and main process. Adding a capability means adding one
 * section file here, one service in src/main/features and one view folder in the renderer.
 */
export const contract = {
  [system.name]: system.methods,
  [workspaces.name]: workspaces.methods,
  [vault.name]: vault.methods,
  [tenants.name]: tenants.methods,
  [cases.name]: cases.methods,
  [clients.name]: clients.methods,
  [access.name]: access.methods,
  [audit.name]: audit.methods,
  [explain.name]: explain.methods,
  [jobs.name]: jobs.methods,
  [workbench.name]: workbench.methods,
  [indexes.name]: indexes.methods,
  [partitions.name]: partitions.methods,
  [backups.name]: backups.methods,
  [ilm.name]: ilm.methods,
  [retention.name]: retention.methods,
  [lifecycle.name]: lifecycle.methods,
  [storeBackups.name]: storeBackups.methods,
} as const;

export const contractEvents = {
  ...systemEvents,
  ...workspaceEvents,
  ...tenantEvents,
  ...jobEvents,
  ...workbenchEvents,
  ...indexEvents,
} as const;

export type Contract = typeof contract;
export type SectionName = keyof Contract;
export type EventName = keyof typeof contractEvents;
export type EventPayload<E extends EventName> = z.output<(typeof contractEvents)[E]>;

/** `section.method` for every method of the contract. */
export type MethodName = {
  [S in SectionName]: `${S & string}.${keyof Contract[S] & string}`;
}[SectionName];

type SpecOf<N extends MethodName> = N extends `${infer S}.${infer M}`
  ? S extends SectionName
    ? M extends keyof Contract[S]
      ? Contract[S][M] extends MethodSpec
        ? Contract[S][M]
        : never
      : never
    : never
  : never;

export type MethodArgs<N extends MethodName> = ArgsOf<SpecOf<N>>;
export type MethodParsedArgs<N extends MethodName> = ParsedArgsOf<SpecOf<N>>;
export type MethodResult<N extends MethodName> = ResultOf<SpecOf<N>>;

export interface CallOptions {
  signal?: AbortSignal;
}

/** The API as the renderer uses it: `api.workspaces.list({})`. */
export type Api = {
  [S in SectionName]: {
    [M in keyof Contract[S]]: Contract[S][M] extends MethodSpec
      ? (args: ArgsOf<Contract[S][M]>, options?: CallOptions) => Promise<ResultOf<Contract[S][M]>>
      : never;
  };
} & {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Every method name, derived from the contract so channels are never typed twice. */
export const METHOD_NAMES: readonly MethodName[] = Object.entries(contract).flatMap(([sectionName, methods]) =>
  Object.keys(methods).map((m) => `${sectionName}.${m}` as MethodName),
);

const methodSet = new Set<string>(METHOD_NAMES);

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && methodSet.has(value);
}

export function methodSpec(name: MethodName): MethodSpec {
  const [sectionName, m] = name.split('.') as [SectionName, string];
  return (contract[sectionName] as Record<string, MethodSpec>)[m] as MethodSpec;
}

export const EVENT_NAMES = Object.keys(contractEvents) as EventName[];
