/**
 * One card's life, end to end, as a reusable story (issue 4): on an NFC-SIM, the telco's ISD
 * creates a bank's SSD with Authorized Management, puts its keys and loads the PBOC package; the
 * SSD installs PPSE + PBOC and personalizes them (STORE DATA DGIs, DGI 8000 encrypted); a
 * merchant's reader runs a qPBOC offline e-cash purchase and an online purchase with ARPC; the
 * bank loads e-cash (圈存) by issuer script, later blocks the application by script, and the SSD
 * finally deletes the instance. Real crypto throughout, every APDU recorded with a simulated
 * timestamp (recording-card.ts), every key and challenge drawn from the seed (seeded-bytes.ts).
 *
 * The story is plain synchronous code with no Node API, so the CLI (`tsm-twin card-demo`), the
 * trace tests, the fuzz script and the benchmark all run the same steps.
 */
import type { ApduExchange } from "../../apdu/pcap-file.ts"
import {
  createSsd,
  deleteInstance,
  installPayment,
  loadPbocPackage,
  openIsd,
  openSsd,
  personalize,
  putSsdKeys,
  type StepResult,
} from "./management-steps.ts"
import {
  blockApplication,
  ecashLoad,
  offlinePurchase,
  onlinePinPurchase,
  onlinePurchase,
} from "./payment-steps.ts"
import { newStoryContext, type StoryContext, type StoryOptions } from "./story-context.ts"
import { issueTransit, transitFare } from "./transit-steps.ts"

export type StepName =
  | "isd-session"
  | "create-ssd"
  | "put-key"
  | "load-package"
  | "ssd-session"
  | "install"
  | "personalize"
  | "offline-purchase"
  | "online-purchase"
  | "issue-transit"
  | "online-pin-purchase"
  | "transit-fare"
  | "ecash-load"
  | "block"
  | "delete"

export interface StoryStep {
  readonly name: StepName
  /** Who sends the commands: the telco TSM via the ISD, the bank's TSM via its SSD, a terminal. */
  readonly actor: "ISD" | "SSD" | "terminal"
  readonly title: string
  readonly run: (ctx: StoryContext) => StepResult
}

export const STORY_STEPS: ReadonlyArray<StoryStep> = [
  { name: "isd-session", actor: "ISD", title: "open the ISD secure channel", run: openIsd },
  { name: "create-ssd", actor: "ISD", title: "create the bank SSD (Authorized Management)", run: createSsd },
  { name: "put-key", actor: "ISD", title: "PUT KEY the SSD's key set", run: putSsdKeys },
  { name: "load-package", actor: "ISD", title: "load the PBOC package", run: loadPbocPackage },
  { name: "ssd-session", actor: "SSD", title: "open the SSD secure channel", run: openSsd },
  { name: "install", actor: "SSD", title: "install PPSE and PBOC under the SSD", run: installPayment },
  {
    name: "personalize",
    actor: "SSD",
    title: "personalize (STORE DATA, DGI 8000 encrypted)",
    run: personalize,
  },
  {
    name: "issue-transit",
    actor: "ISD",
    title: "issue the 贵州通 transit app (own SSD, 2-entry PPSE)",
    run: issueTransit,
  },
  {
    name: "offline-purchase",
    actor: "terminal",
    title: "qPBOC offline e-cash purchase",
    run: offlinePurchase,
  },
  { name: "online-purchase", actor: "terminal", title: "online purchase with ARPC", run: onlinePurchase },
  {
    name: "online-pin-purchase",
    actor: "terminal",
    title: "qPBOC purchase above the CVM limit, online PIN",
    run: onlinePinPurchase,
  },
  {
    name: "transit-fare",
    actor: "terminal",
    title: "transit fare on a bus validator, batch, TC",
    run: transitFare,
  },
  { name: "ecash-load", actor: "terminal", title: "圈存 e-cash load by issuer script", run: ecashLoad },
  { name: "block", actor: "terminal", title: "APPLICATION BLOCK by issuer script", run: blockApplication },
  { name: "delete", actor: "SSD", title: "DELETE the PBOC instance through the SSD", run: deleteInstance },
]

/** What one step did: its outcome and the exchanges (indices into the story's trace) it made. */
export interface StepRecord {
  readonly step: StoryStep
  readonly ok: boolean
  readonly detail: string
  /** Status words of the step's exchanges as they crossed the interface, in order. */
  readonly sws: ReadonlyArray<number>
  readonly firstExchange: number
  readonly exchangeCount: number
}

export interface CardStory {
  readonly context: StoryContext
  readonly steps: ReadonlyArray<StepRecord>
  /** True when every step that ran did what it asked (the story stops at the first failure). */
  readonly ok: boolean
  readonly exchanges: ReadonlyArray<ApduExchange>
}

export interface RunOptions extends StoryOptions {
  /** Stop after this step (e.g. "personalize" for a freshly personalized card). */
  readonly until?: StepName
  /** Told each step's name before it runs (the pilot cuts the OTA scripts at the actor's change). */
  readonly onStep?: (step: StoryStep) => void
}

const swOf = (response: Uint8Array): number =>
  (response[response.length - 2]! << 8) | response[response.length - 1]!

/** Runs the steps in order on a fresh card, stopping after `until` or at the first failure. */
export const runCardStory = (options: RunOptions): CardStory => {
  const context = newStoryContext(options)
  const last =
    options.until === undefined
      ? STORY_STEPS.length - 1
      : STORY_STEPS.findIndex((s) => s.name === options.until)
  if (last < 0) throw new RangeError(`no story step named ${options.until}`)
  const steps: StepRecord[] = []
  for (const step of STORY_STEPS.slice(0, last + 1)) {
    const firstExchange = context.card.exchanges().length
    options.onStep?.(step)
    const result = step.run(context)
    const made = context.card.exchanges().slice(firstExchange)
    steps.push({
      step,
      ...result,
      sws: made.map((e) => swOf(e.response)),
      firstExchange,
      exchangeCount: made.length,
    })
    if (!result.ok) break
  }
  return {
    context,
    steps,
    ok: steps.length === last + 1 && steps.every((s) => s.ok),
    exchanges: context.card.exchanges(),
  }
}

/** The index of the last personalization exchange: the trace's card-management part ends there. */
export const personalizationEnd = (story: CardStory): number => {
  const step = story.steps.find((s) => s.step.name === "personalize")
  return step === undefined ? 0 : step.firstExchange + step.exchangeCount
}
