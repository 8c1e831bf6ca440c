/**
 * What the pilot's order runner (issuance-flows.ts) keeps beside the orders: step codes packed into
 * a kernel event's integer argument (attempt × 16 + step), the failure an event carries, and the
 * decision and error counters each party's code holds (party-decisions.ts), made once per world.
 */
import type { Phase, StepName } from "../../../parties/tsm/order-machine.ts"
import { PILOT_NETWORK } from "../../network.ts"
import type { Count, PartyDecisions } from "../party-decisions.ts"
import type { Flow } from "./pilot-order.ts"

export const STEPS: ReadonlyArray<StepName> = [
  "wait",
  "create-ssd",
  "personalize",
  "register",
  "hot-list",
  "ota-lock",
  "delete-app",
  "delete-ssd",
  "deregister",
  "deregister-old",
  "refund",
]
const STEP_CODE = new Map(STEPS.map((s, i) => [s, i]))
export const code = (step: StepName, attempt: number): number => attempt * 16 + STEP_CODE.get(step)!

export interface Failure {
  readonly flow: Flow
  readonly step: StepName
  readonly attempt: number
  readonly retryable: boolean
  readonly reason: string
}

/** The counters each party's code holds (party-decisions.ts), made once. */
export const cellsOf = (d: PartyDecisions) => ({
  identity: d.decision(PILOT_NETWORK.bankHost.id, "identity-check"),
  identityRefused: d.error(PILOT_NETWORK.bankHost.id, "identity-check refused"),
  hotList: d.decision(PILOT_NETWORK.bankHost.id, "hot-list"),
  refund: d.decision(PILOT_NETWORK.bankHost.id, "refund"),
  // A national bank's SP-TSM is the bank's own system: its order decisions count as the bank's.
  spTsmStep: d.decision(PILOT_NETWORK.bankHost.id, "sp-tsm order-step"),
  gztStep: d.decision(PILOT_NETWORK.tsmOrders.id, "order-step"),
  parked: d.error(PILOT_NETWORK.tsmOrders.id, "parked: party down"),
  timedOut: d.error(PILOT_NETWORK.tsmOrders.id, "step timed out"),
  mtpsBusy: d.error(PILOT_NETWORK.mtps.id, "busy"),
  hsm: d.decision(PILOT_NETWORK.tsmHsm.id, "step commands"),
  session: d.decision(PILOT_NETWORK.tsmOtaSessions.id, "ota-session"),
  users: {
    adopt: d.decision(PILOT_NETWORK.users.id, "adopt"),
    loss: d.decision(PILOT_NETWORK.users.id, "report-loss"),
    reissue: d.decision(PILOT_NETWORK.users.id, "reissue"),
    close: d.decision(PILOT_NETWORK.users.id, "close"),
    simSwap: d.decision(PILOT_NETWORK.users.id, "sim-swap"),
  },
  terminal: {
    running: { n: 0 },
    compensating: { n: 0 },
    done: d.decision(PILOT_NETWORK.tsmOrders.id, "order done"),
    failed: d.decision(PILOT_NETWORK.tsmOrders.id, "order failed"),
    compensated: d.decision(PILOT_NETWORK.tsmOrders.id, "order compensated"),
  } satisfies Record<Phase, Count>,
})

/** A failure's cause without its attempt number, so causes count together. */
export const causeOf = (reason: string): string => reason.replace(/ \(attempt \d+\)$/, "")

export type OrderCells = ReturnType<typeof cellsOf>
