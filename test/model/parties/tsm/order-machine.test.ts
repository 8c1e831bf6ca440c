// Proves the order machine's contract under any interleaving of answers, failures, timeouts and
// stale inputs: it always ends when timeouts keep firing, never acts after its terminal state,
// compensates only issuances whose SSD creation was attempted, ignores stale attempts, and keeps a
// lock or close retrying where an issuance gives up.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decideOrder,
  isTerminal,
  newOrder,
  ORDER_STEPS,
  type OrderInput,
  type OrderKind,
  PERSISTENT_ATTEMPTS_MAX,
  type RetryPolicy,
  type StepName,
} from "../../../../model/parties/tsm/order-machine.ts"

const policy: RetryPolicy = { attemptsMax: 3, backoffUsBase: 10, backoffUsMax: 40, timeoutUs: () => 100 }
const kinds: OrderKind[] = ["issue", "reissue", "lock", "close", "sim-swap"]
const steps = [...new Set(Object.values(ORDER_STEPS).flat())] as StepName[]

const input = fc.oneof(
  fc.record({
    kind: fc.constant("step-ok" as const),
    step: fc.constantFrom(...steps),
    attempt: fc.integer({ min: 0, max: 8 }),
  }),
  fc.record({
    kind: fc.constant("step-failed" as const),
    step: fc.constantFrom(...steps),
    attempt: fc.integer({ min: 0, max: 8 }),
    retryable: fc.boolean(),
    reason: fc.constant("x"),
  }),
  fc.record({
    kind: fc.constant("timeout" as const),
    step: fc.constantFrom(...steps),
    attempt: fc.integer({ min: 0, max: 8 }),
  }),
  fc.record({
    kind: fc.constant("retry-due" as const),
    step: fc.constantFrom(...steps),
    attempt: fc.integer({ min: 0, max: 8 }),
  }),
)

describe("order machine", () => {
  it("ends under any inputs once the current attempt's timeouts keep firing, and is silent after", () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.array(input, { maxLength: 40 }), (kind, inputs) => {
        let d = decideOrder(policy, newOrder(kind), { kind: "start" })
        let compensated = false
        for (const i of inputs as OrderInput[]) {
          const wasTerminal = isTerminal(d.state.phase)
          d = decideOrder(policy, d.state, i)
          if (wasTerminal) expect(d.actions).toEqual([])
          if (d.state.phase === "compensating") compensated = true
        }
        // Drive it home: time out the current attempt, let each backoff expire (a lock or close
        // retries one step up to PERSISTENT_ATTEMPTS_MAX times, two inputs per attempt).
        for (let n = 0; n < 4 * PERSISTENT_ATTEMPTS_MAX && !isTerminal(d.state.phase); n++) {
          const s = d.state
          d = decideOrder(
            policy,
            s,
            s.backingOff
              ? { kind: "retry-due", step: s.step, attempt: s.attempt }
              : { kind: "timeout", step: s.step, attempt: s.attempt },
          )
          if (d.state.phase === "compensating") compensated = true
        }
        expect(isTerminal(d.state.phase)).toBe(true)
        if (compensated) expect(["issue", "reissue", "sim-swap"]).toContain(kind)
        if (compensated) expect(d.state.ssdTouched).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it("completes an issuance on three successes and ignores a stale failure from an older attempt", () => {
    let d = decideOrder(policy, newOrder("issue"), { kind: "start" })
    d = decideOrder(policy, d.state, { kind: "timeout", step: "create-ssd", attempt: 1 })
    d = decideOrder(policy, d.state, { kind: "retry-due", step: "create-ssd", attempt: 1 })
    expect(d.actions).toEqual([{ kind: "run", step: "create-ssd", attempt: 2, timeoutUs: 100 }])
    d = decideOrder(policy, d.state, {
      kind: "step-failed",
      step: "create-ssd",
      attempt: 1,
      retryable: true,
      reason: "late",
    })
    expect(d.actions).toEqual([])
    for (const step of ["create-ssd", "personalize", "register"] as const)
      d = decideOrder(policy, d.state, { kind: "step-ok", step, attempt: d.state.attempt })
    expect(d.state.phase).toBe("done")
  })

  it("compensates an issuance whose personalization fails for good, then ends compensated", () => {
    let d = decideOrder(policy, newOrder("issue"), { kind: "start" })
    d = decideOrder(policy, d.state, { kind: "step-ok", step: "create-ssd", attempt: 1 })
    d = decideOrder(policy, d.state, {
      kind: "step-failed",
      step: "personalize",
      attempt: 1,
      retryable: false,
      reason: "6985",
    })
    expect(d.actions).toEqual([{ kind: "run", step: "delete-ssd", attempt: 1, timeoutUs: 100 }])
    d = decideOrder(policy, d.state, { kind: "step-ok", step: "delete-ssd", attempt: 1 })
    expect(d.state.phase).toBe("compensated")
  })

  it("keeps a 挂失 lock retrying an unreachable phone past attemptsMax, and completes it once reached", () => {
    let d = decideOrder(policy, newOrder("lock"), { kind: "start" })
    d = decideOrder(policy, d.state, { kind: "step-ok", step: "hot-list", attempt: 1 })
    // Far more failures than attemptsMax (3): an issuance would have given up long before.
    for (let attempt = 1; attempt < 40; attempt++) {
      d = decideOrder(policy, d.state, { kind: "timeout", step: "ota-lock", attempt })
      expect(d.actions).toEqual([
        { kind: "backoff", step: "ota-lock", attempt, delayUs: Math.min(40, 10 * 2 ** (attempt - 1)) },
      ])
      d = decideOrder(policy, d.state, { kind: "retry-due", step: "ota-lock", attempt })
    }
    expect(d.state.phase).toBe("running")
    d = decideOrder(policy, d.state, { kind: "step-ok", step: "ota-lock", attempt: 40 })
    d = decideOrder(policy, d.state, { kind: "step-ok", step: "register", attempt: 1 })
    expect(d.state.phase).toBe("done")
    const issue = [1, 2, 3].reduce(
      (s, attempt) => {
        const failed = decideOrder(policy, s.state, { kind: "timeout", step: "create-ssd", attempt })
        return attempt < 3
          ? decideOrder(policy, failed.state, { kind: "retry-due", step: "create-ssd", attempt })
          : failed
      },
      decideOrder(policy, newOrder("issue"), { kind: "start" }),
    )
    expect(issue.state.phase).toBe("compensating")
  })

  it("ends a close failed on a refusal, and after PERSISTENT_ATTEMPTS_MAX retryable failures of one step", () => {
    let d = decideOrder(policy, newOrder("close"), { kind: "start" })
    d = decideOrder(policy, d.state, {
      kind: "step-failed",
      step: "delete-app",
      attempt: 1,
      retryable: false,
      reason: "6A88",
    })
    expect(d.state.phase).toBe("failed")
    d = decideOrder(policy, newOrder("close"), { kind: "start" })
    for (let attempt = 1; attempt <= PERSISTENT_ATTEMPTS_MAX; attempt++) {
      d = decideOrder(policy, d.state, { kind: "timeout", step: "delete-app", attempt })
      if (attempt < PERSISTENT_ATTEMPTS_MAX) {
        expect(d.state.phase).toBe("running")
        d = decideOrder(policy, d.state, { kind: "retry-due", step: "delete-app", attempt })
      }
    }
    expect(d.state.phase).toBe("failed")
    expect(d.actions).toEqual([
      {
        kind: "terminal",
        phase: "failed",
        reason: `delete-app timed out (attempt ${PERSISTENT_ATTEMPTS_MAX})`,
      },
    ])
  })
})
