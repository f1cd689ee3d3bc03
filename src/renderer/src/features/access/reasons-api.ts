import type { Api, CallOptions } from '@shared/contract';

type AnyMethod = (args: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * Decides what to do with a refused call: resolve true once the person gave the reason it needs
 * (the call is then tried once more), false to let the refusal through.
 */
export type RefusalHandler = (method: string, args: unknown, error: unknown) => Promise<boolean>;

// The access section gives the reasons; retrying its own refusals would ask for a reason to give one.
const PASS_THROUGH = new Set(['access', 'on']);

/**
 * The API with every method call watched: a call refused for want of a reason (opening a tenant as
 * support, work across tenants, an unmask, writing on prod) asks for one through `onRefusal` and
 * runs again once it is given. Anything else, and a second refusal, reaches the caller unchanged.
 */
export function withReasons(inner: Api, onRefusal: RefusalHandler): Api {
  const sections = new Map<string, unknown>();
  return new Proxy(inner, {
    get(target, sectionName, receiver) {
      const value: unknown = Reflect.get(target, sectionName, receiver);
      if (typeof sectionName !== 'string' || PASS_THROUGH.has(sectionName) || typeof value !== 'object' || value === null) return value;
      let wrapped = sections.get(sectionName);
      if (!wrapped) {
        const methods = value as Record<string, AnyMethod>;
        wrapped = Object.fromEntries(
          Object.entries(methods).map(([name, call]) => [
            name,
            async (args: unknown, options?: CallOptions) => {
              try {
                return await call(args, options);
              } catch (error) {
                if (options?.signal?.aborted) throw error;
                if (!(await onRefusal(`${sectionName}.${name}`, args, error))) throw error;
                return call(args, options);
              }
            },
          ]),
        );
        sections.set(sectionName, wrapped);
      }
      return wrapped;
    },
  });
}
