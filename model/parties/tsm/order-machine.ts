/**
 * The TSM's orders as explicit state machines (issue 5; DESIGN.md §4 "Order-processing is
 * idempotent ... with timeouts, retries and compensation"): a pure `decideOrder(policy, state,
 * input) → { state, actions }` that the TSM shell applies. Each order kind is a fixed list of
 * steps; a step runs, succeeds, fails or times out; a retryable failure waits an exponential
 * backoff and runs the step again with the next attempt number; answers for an older attempt or
 * another step are stale and ignored, which is what makes duplicated and late messages harmless.
 * An issuance whose SSD creation was ever attempted compensates on final failure by deleting the
 * SSD (idempotent on the card: a DELETE that finds nothing is tolerated), so a half-created SSD
 * never outlives its order.
 */

export type OrderKind = "issue" | "reissue" | "lock" | "close" | "sim-swap"

export type StepName =
  | "wait"
  | "create-ssd"
  | "personalize"
  | "register"
  | "hot-list"
  | "ota-lock"
  | "delete-app"
  | "delete-ssd"
  | "deregister"
  | "deregister-old"
  | "refund"

export const ORDER_STEPS: Readonly<Record<OrderKind, ReadonlyArray<StepName>>> = {
  issue: ["create-ssd", "personalize", "register"],
  reissue: ["wait", "create-ssd", "personalize", "register"],
  lock: ["hot-list", "ota-lock", "register"],
  close: ["delete-app", "delete-ssd", "deregister", "refund"],
  // A SIM swap (same number, new UICC; CALIBRATION.md §3.4) forces OTA re-issuance: the card is
  // made anew on the new SIM with the e-cash balance the TSM knows, and the old SIM's entry leaves
  // the MTPS registry (the operator has already deactivated that SIM, so nothing runs on it).
  "sim-swap": ["create-ssd", "personalize", "register", "deregister-old"],
}

/** The step that undoes a half-done issuance. */
export const COMPENSATION_STEP: StepName = "delete-ssd"

export type Phase = "running" | "compensating" | "done" | "failed" | "compensated"

export const isTerminal = (phase: Phase): boolean =>
  phase === "done" || phase === "failed" || phase === "compensated"

export interface RetryPolicy {
  /** Attempts per step, the first included. */
  readonly attemptsMax: number
  /** The first backoff; each further one doubles, up to `backoffUsMax`. */
  readonly backoffUsBase: number
  readonly backoffUsMax: number
  /** How long one attempt of a step may take before it counts as failed. */
  readonly timeoutUs: (step: StepName) => number
}

export interface OrderState {
  readonly kind: OrderKind
  readonly phase: Phase
  /** Index into ORDER_STEPS[kind]; meaningless once compensating or terminal. */
  readonly stepIndex: number
  readonly step: StepName
  readonly attempt: number
  /** True while a backoff runs: the next input that counts is `retry-due`. */
  readonly backingOff: boolean
  /** Whether an SSD may exist on the card because of this order (create-ssd was sent). */
  readonly ssdTouched: boolean
  readonly reason: string
}

export type OrderInput =
  | { readonly kind: "start" }
  | { readonly kind: "step-ok"; readonly step: StepName; readonly attempt: number }
  | {
      readonly kind: "step-failed"
      readonly step: StepName
      readonly attempt: number
      readonly retryable: boolean
      readonly reason: string
    }
  | { readonly kind: "timeout"; readonly step: StepName; readonly attempt: number }
  | { readonly kind: "retry-due"; readonly step: StepName; readonly attempt: number }

export type OrderAction =
  | { readonly kind: "run"; readonly step: StepName; readonly attempt: number; readonly timeoutUs: number }
  | { readonly kind: "backoff"; readonly step: StepName; readonly attempt: number; readonly delayUs: number }
  | { readonly kind: "terminal"; readonly phase: Phase; readonly reason: string }

export interface Decision {
  readonly state: OrderState
  readonly actions: ReadonlyArray<OrderAction>
}

export const newOrder = (kind: OrderKind): OrderState => ({
  kind,
  phase: "running",
  stepIndex: 0,
  step: ORDER_STEPS[kind][0]!,
  attempt: 0,
  backingOff: false,
  ssdTouched: false,
  reason: "",
})

const run = (policy: RetryPolicy, state: OrderState, step: StepName, attempt: number): Decision => {
  const touched = state.ssdTouched || step === "create-ssd"
  return {
    state: { ...state, step, attempt, backingOff: false, ssdTouched: touched },
    actions: [{ kind: "run", step, attempt, timeoutUs: policy.timeoutUs(step) }],
  }
}

const terminal = (state: OrderState, phase: Phase, reason: string): Decision => ({
  state: { ...state, phase, backingOff: false, reason },
  actions: [{ kind: "terminal", phase, reason }],
})

const advance = (policy: RetryPolicy, state: OrderState): Decision => {
  if (state.phase === "compensating") return terminal(state, "compensated", state.reason)
  const steps = ORDER_STEPS[state.kind]
  const next = state.stepIndex + 1
  if (next >= steps.length) return terminal(state, "done", "")
  return run(policy, { ...state, stepIndex: next }, steps[next]!, 1)
}

const backoffUs = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.backoffUsMax, policy.backoffUsBase * 2 ** Math.min(attempt - 1, 30))

/**
 * Orders the TSM does not give up on while their failures are retryable: a 挂失 lock or a 销户 close
 * that stopped after `attemptsMax` would leave a lost phone's card paying offline, or a closed
 * account's app on the SE, with nothing but a counter to say so. An unreachable phone is a reason
 * to wait, not to stop: the OTA bearer itself works that way (3GPP TS 23.040 §3.2.6
 * Messages-Waiting and §3.2.7 Alert-SC: the SMS centre keeps an undeliverable mobile-terminated
 * message pending and delivers it once the network reports the phone reachable), so the TSM keeps
 * the job pending and tries again at its backoff, which doubles up to `backoffUsMax`. A refusal
 * (not retryable: unknown SE, the card's own refusal) still ends the order failed, and the
 * issuance auditor reports it.
 */
export const PERSISTENT_KINDS: ReadonlySet<OrderKind> = new Set<OrderKind>(["lock", "close"])

/**
 * The bound on a persistent order's attempts per step: the largest attempt number a step message
 * carries (model/parties/messages/issuance-messages.ts, a one-byte field). At the pilot's backoff
 * (10 min doubling to 160 min) that is four weeks of trying; an order still failing then ends
 * failed, which the issuance auditor reports as a lock or close that never reached the SE.
 */
export const PERSISTENT_ATTEMPTS_MAX = 255

/** Compensation gets twice the attempts: giving up on it leaves a stray SSD behind. */
const attemptsFor = (policy: RetryPolicy, state: OrderState): number => {
  if (state.phase === "compensating") return policy.attemptsMax * 2
  return PERSISTENT_KINDS.has(state.kind) ? PERSISTENT_ATTEMPTS_MAX : policy.attemptsMax
}

const fail = (policy: RetryPolicy, state: OrderState, retryable: boolean, reason: string): Decision => {
  if (retryable && state.attempt < attemptsFor(policy, state))
    return {
      state: { ...state, backingOff: true, reason },
      actions: [
        {
          kind: "backoff",
          step: state.step,
          attempt: state.attempt,
          delayUs: backoffUs(policy, state.attempt),
        },
      ],
    }
  const compensable = state.phase === "running" && state.ssdTouched && state.kind !== "close"
  if (compensable) return run(policy, { ...state, phase: "compensating", reason }, COMPENSATION_STEP, 1)
  return terminal(state, "failed", reason)
}

const current = (state: OrderState, step: StepName, attempt: number): boolean =>
  step === state.step && attempt === state.attempt

/** The order machine. Inputs that do not concern the current step and attempt change nothing. */
export const decideOrder = (policy: RetryPolicy, state: OrderState, input: OrderInput): Decision => {
  const none: Decision = { state, actions: [] }
  if (isTerminal(state.phase)) return none
  switch (input.kind) {
    case "start":
      return state.attempt === 0 ? run(policy, state, state.step, 1) : none
    case "step-ok":
      // A success from an earlier attempt of the same step still counts: the remote side is
      // idempotent by order id, so its answer describes the step's effect, not the attempt's.
      return input.step === state.step && input.attempt <= state.attempt ? advance(policy, state) : none
    case "step-failed":
      return current(state, input.step, input.attempt) && !state.backingOff
        ? fail(policy, state, input.retryable, input.reason)
        : none
    case "timeout":
      return current(state, input.step, input.attempt) && !state.backingOff
        ? fail(policy, state, true, `${input.step} timed out (attempt ${input.attempt})`)
        : none
    case "retry-due":
      return current(state, input.step, input.attempt) && state.backingOff
        ? run(policy, state, state.step, state.attempt + 1)
        : none
  }
}
