import type { z } from 'zod';

/**
 * One method of the contract: the schema of its arguments and of its result. The router validates
 * arguments with `args` before any service runs; tests validate results with `result`.
 */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  /** One line for people reading the contract and for error messages. */
  summary: string;
}

export type SectionSpec = Record<string, MethodSpec>;

export function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
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
