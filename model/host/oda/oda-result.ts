/**
 * The outcome of offline data authentication as values (STYLE.md rule 4: a failed ODA is an
 * operating outcome, it sets TVR bits, it never throws). `reason` names the step that failed,
 * for the trace and the tests; `detail` says what was wrong.
 */
export type OdaFailure =
  | "ca-key-missing"
  | "issuer-certificate"
  | "icc-certificate"
  | "signed-data"
  | "data-missing"

export type OdaResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: OdaFailure; readonly detail: string }

export const odaFail = (
  reason: OdaFailure,
  detail: string,
): { ok: false; reason: OdaFailure; detail: string } => ({
  ok: false,
  reason,
  detail,
})
