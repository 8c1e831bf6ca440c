/**
 * Runs any scenario JSON to a `RunOutcome`, dispatching on its kind — the one place that knows
 * which kinds exist (`kind: "pilot"` → the whole pilot, `kind: "money"` → the money world; no kind
 * → the issuance world). Every sweep run (local replications and cluster runners) goes through it,
 * paced by sim/run's RunControl like `tsm-twin run` (paced-runs.ts), so a sweep measures exactly
 * what `tsm-twin run` reports and interrupting the effect stops the run between two chunks. Bad
 * scenarios come back as a message naming the JSON path, never as an exception.
 */
import { Effect } from "effect"
import { ISSUANCE_LAYERS, issuanceStart } from "../../model/world/issuance/issuance-root.ts"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import type { IssuanceRun } from "../../model/world/issuance/run-issuance.ts"
import type { MoneySummary } from "../../model/world/money/money-run.ts"
import { decodeMoneyScenario, isMoneyScenario } from "../../model/world/money/money-scenario.ts"
import { PILOT_LAYERS, pilotStart } from "../../model/world/pilot/pilot-root.ts"
import type { PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario, isPilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import type { RunOutcome } from "../report/run-outcome.ts"
import { decodeTargets } from "../report/targets.ts"
import { IssuanceRecorder, issuanceOutcome } from "./issuance-outcome.ts"
import { moneyOutcome, startMoneyScenario } from "./money-outcome.ts"
import { paceIssuance, paceMoney, pacePilot } from "./paced-runs.ts"
import { pilotOutcome } from "./pilot-outcome.ts"

const US_PER_DAY = 86_400_000_000

/** What a long run reports after each simulated day (for progress bars and snapshots). */
export interface DayProgress {
  readonly day: number
  readonly days: number
  readonly simulatedUs: number
  /** Kernel events and signals processed so far. */
  readonly events: number
  /** The outcome so far; built only when asked for. */
  readonly outcome: () => RunOutcome
}

export interface OutcomeRequest {
  readonly json: unknown
  readonly scenarioHash: string
  /** Overrides the scenario's own seed. */
  readonly seed: number | null
  readonly onDay?: (progress: DayProgress) => void
}

export type OutcomeResult =
  | {
      readonly ok: true
      readonly outcome: RunOutcome
      readonly issuance?: IssuanceRun
      readonly money?: MoneySummary
    }
  | { readonly ok: false; readonly message: string }

/** Decodes without running: the message names the bad path (sweeps check every grid point first). */
export const validateScenario = (
  json: unknown,
): { readonly ok: true; readonly seed: number } | { readonly ok: false; readonly message: string } => {
  if (isPilotScenario(json)) {
    const pilot = decodePilotScenario(json)
    return pilot.ok ? { ok: true, seed: pilot.value.seed } : pilot
  }
  const targets = decodeTargets(json)
  if (!targets.ok) return targets
  const decoded = isMoneyScenario(json) ? decodeMoneyScenario(json) : decodeIssuanceScenario(json)
  return decoded.ok ? { ok: true, seed: decoded.value.seed } : decoded
}

/** The run as an effect: the world is built when it runs, then paced by RunControl to its end. */
export const scenarioOutcome = (request: OutcomeRequest): Effect.Effect<OutcomeResult> =>
  Effect.suspend(() => {
    if (isPilotScenario(request.json)) return runPilotOutcome(request)
    const targets = decodeTargets(request.json)
    if (!targets.ok) return Effect.succeed(targets)
    return isMoneyScenario(request.json)
      ? runMoneyOutcome(request, targets.targets)
      : runIssuanceOutcome(request, targets.targets)
  })

const runIssuanceOutcome = (
  request: OutcomeRequest,
  targets: RunOutcome["targets"],
): Effect.Effect<OutcomeResult> => {
  const decoded = decodeIssuanceScenario(request.json)
  if (!decoded.ok) return Effect.succeed(decoded)
  const sc = decoded.value
  const seed = request.seed ?? sc.seed
  const recorder = new IssuanceRecorder(sc)
  const meta = (status: string) => ({ seed, scenarioHash: request.scenarioHash, status, targets })
  const onDay = (day: number, partial: Omit<IssuanceRun, "digest">) => {
    recorder.endDay(day, partial.world)
    request.onDay?.({
      day,
      days: sc.durationDays,
      simulatedUs: partial.endUs,
      events: partial.world.digest.recordCount,
      outcome: () =>
        issuanceOutcome(sc, recorder, { ...partial, digest: null }, meta(`running (day ${day})`)),
    })
  }
  return issuanceStart(sc, seed, onDay, [recorder]).pipe(
    Effect.provide(ISSUANCE_LAYERS),
    Effect.flatMap(paceIssuance),
    Effect.map(
      (run): OutcomeResult => ({
        ok: true,
        outcome: issuanceOutcome(sc, recorder, run, meta("complete")),
        issuance: run,
      }),
    ),
  )
}

const runMoneyOutcome = (
  request: OutcomeRequest,
  targets: RunOutcome["targets"],
): Effect.Effect<OutcomeResult> => {
  const decoded = decodeMoneyScenario(request.json)
  if (!decoded.ok) return Effect.succeed(decoded)
  const sc = decoded.value
  const seed = request.seed ?? sc.seed
  const { start, recorder, faults } = startMoneyScenario(sc, seed)
  return Effect.map(paceMoney(start), (summary): OutcomeResult => {
    const outcome = moneyOutcome(summary, recorder, {
      scenario: sc.name,
      scenarioHash: request.scenarioHash,
      status: "complete",
      targets,
      faults,
      endUs: sc.days * US_PER_DAY,
    })
    return { ok: true, outcome, money: summary }
  })
}

/**
 * The pilot kind (model/world/pilot): its phase targets live in its own `phases`; it runs at its
 * `scaleFactor`, which a sweep can fix with a one-value `--vary scaleFactor=0.01`.
 */
const runPilotOutcome = (request: OutcomeRequest): Effect.Effect<OutcomeResult> => {
  const decoded = decodePilotScenario(request.json)
  if (!decoded.ok) return Effect.succeed(decoded)
  const sc = decoded.value
  const seed = request.seed ?? sc.seed
  const meta = (status: string) => ({ scenario: sc.name, seed, scenarioHash: request.scenarioHash, status })
  const start = pilotStart({
    scenario: sc,
    population: decoded.population,
    scale: sc.scaleFactor,
    seed,
  })
  const onDay = (day: number, days: number, s: PilotRunState) =>
    request.onDay?.({
      day,
      days,
      simulatedUs: s.world.kernel.nowUs,
      events: s.world.kernel.eventsProcessed,
      outcome: () => pilotOutcome(s, meta(`running (day ${day})`)),
    })
  return start.pipe(
    Effect.provide(PILOT_LAYERS),
    Effect.flatMap((started) => pacePilot(started, { onDay })),
    Effect.map((state): OutcomeResult => ({ ok: true, outcome: pilotOutcome(state, meta("complete")) })),
  )
}
