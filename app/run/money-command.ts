/**
 * `tsm-twin run` for a money scenario: runs it with native crypto, paced by sim/run's RunControl
 * (paced-runs.ts: a day up to its cut-off at a time, in chunks of a few hundred crypto-carrying
 * events), and writes `summary.json` (seed, scenario hash, digest, per-kind counts and values, the
 * audit's checks and violations, the ledger pair check, the 差错 discrepancies) with the run report.
 * SIGINT/SIGTERM interrupt it between two chunks: the folder is finished with status "interrupted"
 * (the outcome so far, no digest, no end-state audit: flows in flight are not ended ones) before
 * the process exits 130/143 (app/cli/main.ts), as issuance and pilot runs do. Called from
 * run-command.ts when the JSON says `kind: "money"`; tests run the effect directly.
 */
import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import type { MoneySummary } from "../../model/world/money/money-run.ts"
import { decodeMoneyScenario } from "../../model/world/money/money-scenario.ts"
import type { ProgressBar } from "../cli/progress-bar.ts"
import { simulatedDate } from "../report/format.ts"
import { RunReport } from "../report/run-report.ts"
import { decodeTargets, evaluateTargets, missedTargets } from "../report/targets.ts"
import { moneyOutcome, startMoneyScenario } from "./money-outcome.ts"
import { paceMoney } from "./paced-runs.ts"

const US_PER_DAY = 86_400_000_000

export type MoneyCommandResult =
  | { readonly ok: true; readonly line: string; readonly violations: number; readonly targetsMissed: number }
  | { readonly ok: false; readonly message: string }

/** The command's own summary.json fields, beside the run report's. */
const summaryFields = (s: MoneySummary, meta: { scenario: string; seed: number; scenarioHash: string }) => {
  const violations = s.audit.violations.length + s.ledgerMismatches.length
  return {
    ...meta,
    digest: s.digest,
    perKind: Object.fromEntries(Object.entries(s.perKind).sort(([a], [b]) => (a < b ? -1 : 1))),
    invariants: { checks: s.audit.checks, violations, authStates: s.audit.authStates },
    violations: [...s.audit.violations, ...s.ledgerMismatches].map((message) => ({
      message,
      seed: meta.seed,
    })),
    discrepancies: s.discrepancies,
    fraudFlags: s.fraud,
    clearingCycles: s.cycles,
    money: {
      reservesFen: s.audit.reservesFen,
      depositsFen: s.audit.depositsFen,
      ecashOnCardsFen: s.audit.ecashOnCardsFen,
      personalizationBacklogUs: s.personalizationBacklogUs,
    },
  }
}

export const runMoneyScenario = (
  json: unknown,
  scenarioHash: string,
  out: string,
  seedOverride: number | null,
  progress: ProgressBar | null = null,
): Effect.Effect<MoneyCommandResult> =>
  Effect.gen(function* () {
    const decoded = decodeMoneyScenario(json)
    if (!decoded.ok) return decoded
    const targets = decodeTargets(json)
    if (!targets.ok) return targets
    const sc = decoded.value
    const seed = seedOverride ?? sc.seed
    const folder = resolve(out)
    mkdirSync(folder, { recursive: true })
    const meta = { scenario: sc.name, seed, scenarioHash }
    const report = new RunReport(folder)
    report.start({ ...meta, kind: "money", startEpochS: PILOT_START_S })
    const { start, recorder, faults } = startMoneyScenario(sc, seed)
    const finishFolder = (s: MoneySummary, status: string, endUs: number) => {
      const outcome = moneyOutcome(s, recorder, {
        ...meta,
        status,
        targets: targets.targets,
        faults,
        endUs,
      })
      report.finish(outcome, { ...summaryFields(s, meta), status })
      return outcome
    }
    const onDay = (day: number) =>
      progress?.update({
        done: day,
        total: sc.days,
        simulatedDate: simulatedDate(PILOT_START_S, day * US_PER_DAY),
        events: start.world.kernel.eventsProcessed,
      })
    const s = yield* paceMoney(start, onDay).pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          progress?.finish()
          const endUs = start.world.kernel.nowUs
          finishFolder(start.soFar(), "interrupted", endUs)
          const reached = simulatedDate(PILOT_START_S, endUs)
          process.stderr.write(`interrupted on ${reached}: partial report → ${report.summaryPath}\n`)
        }),
      ),
    )
    progress?.finish()
    const outcome = finishFolder(s, "complete", sc.days * US_PER_DAY)
    const violations = s.audit.violations.length + s.ledgerMismatches.length
    return {
      ok: true,
      line: `run ${sc.name}: seed ${seed}, digest ${s.digest}, ${violations} invariant violations → ${report.summaryPath}`,
      violations,
      targetsMissed: missedTargets(evaluateTargets(outcome)).length,
    } as const
  })
