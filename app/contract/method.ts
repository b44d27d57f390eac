// One request of the contract: the schema main validates its parameters with, and the type of its
// result, side by side. The request maps of the domain modules are built from these, and the
// Params/Results types are read off them, so a method's parameters and result are written once.
import type { z } from 'zod';

/** A request's parameter schema, and its result type (carried only by the type system). */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R = unknown> {
  readonly params: P;
  /** Never set at run time: only the type of the result is kept here. */
  readonly result?: R;
}

/** The result type of a request, for method(); no value is kept at run time. */
export interface Returns<R> {
  readonly result?: R;
}

export function returns<R>(): Returns<R> {
  return {};
}

/** A request: `method(z.object({...}).strict(), returns<Result>())`. */
export function method<P extends z.ZodType, R>(params: P, _result: Returns<R>): MethodSpec<P, R> {
  return { params };
}

export type ParamsOf<S extends MethodSpec> = z.infer<S['params']>;
export type ResultOf<S extends MethodSpec> = S extends MethodSpec<z.ZodType, infer R> ? R : never;
