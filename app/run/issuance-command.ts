/**
 * `tsm-twin run` for an issuance scenario (scenario 02 and its kin): runs it with native crypto,
 * paced by sim/run's RunControl at full speed with a boundary per simulated day (paced-runs.ts:
 * chunks of a few hundred crypto-carrying events), so SIGINT/SIGTERM interrupt it between two
 * chunks and the folder is finished with status "interrupted" (the
 * outcome and summary so far, no audit finish: orders in flight are not ended ones) before the
 * process exits 130/143 (app/cli/main.ts), as the pilot does (pilot-command.ts). The folder gets
 * summary.json (every ten simulated days and at the end), the run report and pki/.
 */
import { createHash } from "node:crypto"
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { Console, Effect } from "effect"
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import { pkiFiles } from "../../model/host/pki/pki-files.ts"
import { ISSUANCE_LAYERS, issuanceStart } from "../../model/world/issuance/issuance-root.ts"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import type { IssuanceRun } from "../../model/world/issuance/run-issuance.ts"
import { ProgressBar } from "../cli/progress-bar.ts"
import { simulatedDate } from "../report/format.ts"
import { RunReport } from "../report/run-report.ts"
import { decodeTargets, evaluateTargets, missedTargets } from "../report/targets.ts"
import { IssuanceRecorder, issuanceOutcome } from "./issuance-outcome.ts"
import { paceIssuance } from "./paced-runs.ts"
import { writePkiFolder } from "./pki-folder.ts"
import { runChecks } from "./run-checks.ts"
import type { LoadedScenario } from "./scenario-input.ts"

/** The command's own summary.json fields, beside the run report's. */
export const summaryOf = (
  run: Omit<IssuanceRun, "digest"> & { digest: string | null },
  meta: { seed: number; scenarioHash: string; scenario: string; status: string },
) => ({
  ...meta,
  digest: run.digest,
  simulatedEndUs: run.endUs,
  flows: Object.fromEntries([...run.driver.flows].sort(([a], [b]) => (a < b ? -1 : 1))),
  cardsBySeIssuer: Object.fromEntries(run.driver.cardsBySeIssuer),
  invariants: run.audit.counts,
  violations: run.audit.violations.map((v) => ({ ...v, seed: meta.seed })),
  envelopesRejected: rejectionsOf(run.world),
  mtps: { droppedWhileDown: run.world.mtps.dropped, refusedBusy: run.world.mtps.refusedBusy },
  batchFiles: {
    files: run.driver.batch.receipts.length,
    accepted: run.driver.batch.receipts.reduce((n, r) => n + r.accepted, 0),
    refusedRecords: run.driver.batch.receipts.reduce((n, r) => n + r.refused.length, 0),
  },
  catalogue: [...run.world.gzt.catalogue.values(), ...run.world.spTsm.catalogue.values()].map(
    (app) => `${app.appId} (${app.category}, ${app.spId})`,
  ),
})

/** Rejected envelopes in total and by the shared verifier's verdict, summed over institutions. */
const rejectionsOf = (world: IssuanceRun["world"]) => {
  const byVerdict: Record<string, number> = {}
  for (const institution of world.institutions.values())
    for (const [verdict, n] of institution.rejected) byVerdict[verdict] = (byVerdict[verdict] ?? 0) + n
  return { total: world.signals.count("envelope.rejected"), byVerdict }
}

type Partial = Parameters<typeof summaryOf>[0]

export const runIssuanceScenario = (loaded: LoadedScenario, out: string) =>
  Effect.gen(function* () {
    const decoded = decodeIssuanceScenario(loaded.json)
    const targets = decodeTargets(loaded.json)
    if (!decoded.ok || !targets.ok) return yield* Effect.die(new Error("checked scenario failed to decode"))
    const sc = decoded.value
    const folder = resolve(out)
    mkdirSync(folder, { recursive: true })
    const summaryPath = join(folder, "summary.json")
    const meta = {
      seed: sc.seed,
      scenario: sc.name,
      scenarioHash: createHash("sha256").update(loaded.text).digest("hex"),
    }
    // The run folder of issue 7 §5: summary.json keeps this command's fields beside the report's.
    const report = new RunReport(folder)
    report.start({ ...meta, kind: "issuance", startEpochS: PILOT_START_S })
    const recorder = new IssuanceRecorder(sc)
    const outcomeOf = (partial: Partial, status: string) =>
      issuanceOutcome(sc, recorder, partial, { ...meta, status, targets: targets.targets })
    const snapshot = (partial: Partial, status: string) =>
      report.snapshot(outcomeOf(partial, status), summaryOf(partial, { ...meta, status }))
    const progress = new ProgressBar()
    const start = yield* issuanceStart(
      sc,
      sc.seed,
      (day, partial) => {
        recorder.endDay(day, partial.world)
        progress.update({
          done: day,
          total: sc.durationDays,
          simulatedDate: simulatedDate(PILOT_START_S, partial.endUs),
          events: partial.world.digest.recordCount,
        })
        if (day % 10 === 0) snapshot({ ...partial, digest: null }, `running (day ${day})`)
      },
      [recorder],
    ).pipe(Effect.provide(ISSUANCE_LAYERS))
    const run = yield* paceIssuance(start).pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          progress.finish()
          const { world, audit, driver } = start
          const partial: Partial = { world, audit, driver, endUs: world.kernel.nowUs, digest: null }
          report.finish(
            outcomeOf(partial, "interrupted"),
            summaryOf(partial, { ...meta, status: "interrupted" }),
          )
          const reached = simulatedDate(PILOT_START_S, partial.endUs)
          process.stderr.write(`interrupted on ${reached}: partial report → ${summaryPath}\n`)
        }),
      ),
    )
    progress.finish()
    const outcome = outcomeOf(run, "complete")
    report.finish(outcome, summaryOf(run, { ...meta, status: "complete" }))
    writePkiFolder(folder, pkiFiles(run.world.pki.ca))
    const violations = Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)
    yield* Console.log(
      `run ${sc.name}: seed ${sc.seed}, digest ${run.digest}, ${violations} invariant violations → ${summaryPath}`,
    )
    const targetsMissed = missedTargets(evaluateTargets(outcome)).length
    yield* runChecks({ scenario: sc.name, where: summaryPath, violations, targetsMissed })
  })
