import type { z } from 'zod';
import { isMethodClass, type MethodClass } from '../access/method-class';

/**
 * One method of the contract: the schema of its arguments and of its result, and its access class.
 * The router validates arguments with `args` before any service runs; tests validate results with
 * `result`; the access policy reads `access`.
 */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /**
   * What the method does as far as access is concerned; the policy derives who may call it from
   * this. Required, so a method cannot join the contract without one.
   */
  access: MethodClass;
  args: A;
  result: R;
  /** One line for people reading the contract and for error messages. */
  summary: string;
  /**
   * Who writes the audit entry of an allowed call of an audited class. `call` (the default): the
   * access policy, before the call runs. `job`: the job the call starts, once it has finished, with
   * its per-tenant outcome and the reason or unlock the call was allowed on — one entry for the
   * change, not one for the call and another for its job. Refusals, and failures before a job
   * starts, are recorded by the policy either way.
   */
  journal?: 'call' | 'job';
}

export type SectionSpec = Record<string, MethodSpec>;

export function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  // The type already demands a class; this stops a cast or a plain-JS caller at load time.
  if (!isMethodClass(spec.access)) throw new TypeError(`A contract method needs an access class; got ${JSON.stringify(spec.access)} (${spec.summary}).`);
  return spec;
}

/** Declares a capability's section; the literal name becomes the method prefix (`workspaces.list`). */
export function section<const N extends string, const S extends SectionSpec>(name: N, methods: S): { name: N; methods: S } {
  return { name, methods };
}

/** Events flow from the main process to the renderer: job progress, row batches, store status. */
export type EventSpecs = Record<string, z.ZodType>;

export function events<const E extends EventSpecs>(specs: E): E {
  return specs;
}

export type ArgsOf<M extends MethodSpec> = z.input<M['args']>;
export type ParsedArgsOf<M extends MethodSpec> = z.output<M['args']>;
export type ResultOf<M extends MethodSpec> = z.output<M['result']>;
