/**
 * The inspector's view of one traced flow of the demo: the messages between parties that the
 * queueing model moved (hops), and the real APDU exchanges of a card story run for this flow
 * (model/host/card-story/): for an issuance, the ISD and SSD management up to personalization; for
 * a transaction, the qPBOC offline and online purchases. The story's seed is drawn from the run's
 * seed and the flow's index, so a traced flow is reproducible; its exchanges are placed in
 * simulated time at the story's own card-model offsets from `apduStartUs`.
 */
import { nativeCrypto } from "../../crypto/native-crypto.ts"
import { runCardStory, type StepName } from "../../host/card-story/card-story.ts"
import { apduView } from "../../signals/apdu-view.ts"
import { FLOW_LIMITS, type FlowKind, type FlowStep } from "../../signals/flow.ts"

export interface Hop {
  readonly from: string
  readonly to: string
  readonly tUs: number
  readonly label: string
}

const ISSUANCE_STEPS: ReadonlySet<StepName> = new Set([
  "isd-session",
  "create-ssd",
  "put-key",
  "load-package",
  "ssd-session",
  "install",
  "personalize",
])
const TRANSACTION_STEPS: ReadonlySet<StepName> = new Set(["offline-purchase", "online-purchase"])

/** Who talks to the card in each part of the story: the telco through the ISD, the TSM through the SSD. */
const SENDER = { ISD: "telco", SSD: "tsm", terminal: "pos" } as const

export interface TracedFlowInput {
  readonly flowId: string
  readonly kind: FlowKind
  readonly storySeed: number
  readonly hops: ReadonlyArray<Hop>
  readonly apduStartUs: number
}

export const tracedFlowSteps = (input: TracedFlowInput): FlowStep[] => {
  const wanted = input.kind === "issuance" ? ISSUANCE_STEPS : TRANSACTION_STEPS
  const story = runCardStory({
    seed: input.storySeed,
    crypto: nativeCrypto,
    until: input.kind === "issuance" ? "personalize" : "online-purchase",
  })
  const exchanges = story.steps
    .filter((s) => wanted.has(s.step.name))
    .flatMap((s) =>
      story.exchanges
        .slice(s.firstExchange, s.firstExchange + s.exchangeCount)
        .map((exchange) => ({ step: s.step, exchange })),
    )
  const first = exchanges[0]?.exchange.atUs ?? 0
  const apduSteps = exchanges.map(({ step, exchange }) => ({
    from: SENDER[step.actor],
    to: "se",
    tUs: input.apduStartUs + (exchange.atUs - first),
    label: step.title,
    apdu: apduView(exchange.command, exchange.response),
  }))
  const all = [...input.hops, ...apduSteps].sort((a, b) => a.tUs - b.tUs)
  return all.slice(0, FLOW_LIMITS.stepsMax).map((m, index) => ({
    flowId: input.flowId,
    kind: input.kind,
    index,
    ...m,
  }))
}
