/**
 * The data plane's outcome type. Operating outcomes (a malformed TLV, a wrong MAC, a declined
 * payment) are values, not exceptions (STYLE.md rule 4), and the data plane does not use Effect
 * (DESIGN.md §2), so it carries this minimal union instead of `effect/Result`.
 */
export type Result<A, E> = Ok<A> | Err<E>

export interface Ok<A> {
  readonly ok: true
  readonly value: A
}

export interface Err<E> {
  readonly ok: false
  readonly error: E
}

export const ok = <A>(value: A): Ok<A> => ({ ok: true, value })

export const err = <E>(error: E): Err<E> => ({ ok: false, error })

/**
 * Unwraps a result whose failure would be a programmer error (a constant in the code, a value the
 * caller has already validated). Input from outside must be matched on, never unwrapped.
 */
export const unwrap = <A, E>(result: Result<A, E>, what: string): A => {
  if (result.ok) return result.value
  throw new Error(`${what}: ${describe(result.error)}`)
}

const describe = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error
    ? String((error as { message: unknown }).message)
    : JSON.stringify(error)
