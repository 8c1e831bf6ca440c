/**
 * `tsm-twin run <scenario.json> --out <dir> [--seed N]`: decodes the scenario (exit 2 naming the
 * JSON path on a bad one), runs it with native crypto, writes `summary.json` atomically at the
 * start, every ten simulated days and at the end (so a killed run leaves a readable summary), and
 * `pki/` (the MTPS CA and every institution's certificate as PEM). Exit 1 when an invariant was
 * violated. The folder also gets the run report (app/report/run-report.ts: targets with
 * pass/fail and margin, CSV time series, report.html) and stderr a progress line.
 */
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { Console, Effect, type Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import { pkiFiles } from "../../model/host/pki/pki-files.ts"
import { ISSUANCE_LAYERS, issuanceRun } from "../../model/world/issuance/issuance-root.ts"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import type { IssuanceRun } from "../../model/world/issuance/run-issuance.ts"
import { isMoneyScenario } from "../../model/world/money/money-scenario.ts"
import { isPilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { simulatedDate } from "../report/format.ts"
import { RunReport } from "../report/run-report.ts"
import { decodeTargets } from "../report/targets.ts"
import { EXIT } from "../run/exit-codes.ts"
import { IssuanceRecorder, issuanceOutcome } from "../run/issuance-outcome.ts"
import { runMoneyScenario } from "../run/money-command.ts"
import { runPilotCommand } from "../run/pilot-command.ts"
import { writePkiFolder } from "../run/pki-folder.ts"
import { ProgressBar } from "./progress-bar.ts"

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

/** Reads and parses the scenario file; on failure says why on stderr, sets exit 2 and yields null. */
const readScenarioJson = Effect.fn(function* (scenario: string) {
  let text: string
  try {
    text = readFileSync(resolve(scenario), "utf8")
  } catch (error) {
    yield* Console.error(`tsm-twin run: cannot read ${scenario}: ${String(error)}`)
    process.exitCode = EXIT.badInput
    return null
  }
  try {
    return { text, json: JSON.parse(text) as unknown }
  } catch (error) {
    yield* Console.error(`tsm-twin run: ${scenario} is not JSON: ${String(error)}`)
    process.exitCode = EXIT.badInput
    return null
  }
})

/** The issuance scenario and its phase targets; on a bad one says why, sets exit 2, yields null. */
const decodeIssuanceInputs = Effect.fn(function* (scenario: string, json: unknown) {
  const decoded = decodeIssuanceScenario(json)
  const targets = decodeTargets(json)
  const message = !decoded.ok ? decoded.message : !targets.ok ? targets.message : null
  if (message !== null || !decoded.ok || !targets.ok) {
    yield* Console.error(`tsm-twin run: ${scenario} is not a valid scenario:\n${message}`)
    process.exitCode = EXIT.badInput
    return null
  }
  return { sc: decoded.value, targets }
})

/**
 * An issuance scenario's run: the run folder's report and summary every ten simulated days and at
 * the end, `pki/`, and exit 1 when an invariant was violated.
 */
const runIssuanceCommand = Effect.fn(function* ({
  scenario,
  text,
  json,
  out,
  seed,
}: {
  scenario: string
  text: string
  json: unknown
  out: string
  seed: Option.Option<number>
}) {
  const decoded = yield* decodeIssuanceInputs(scenario, json)
  if (decoded === null) return
  const { sc, targets } = decoded
  const runSeed = seed._tag === "Some" ? seed.value : sc.seed
  const folder = resolve(out)
  mkdirSync(folder, { recursive: true })
  const summaryPath = join(folder, "summary.json")
  const meta = {
    seed: runSeed,
    scenario: sc.name,
    scenarioHash: createHash("sha256").update(text).digest("hex"),
  }
  // The run folder of issue 7 §5: summary.json keeps this command's fields beside the report's.
  const report = new RunReport(folder)
  report.start({ ...meta, kind: "issuance", startEpochS: PILOT_START_S })
  const recorder = new IssuanceRecorder(sc)
  const outcomeOf = (partial: Parameters<typeof summaryOf>[0], status: string) =>
    issuanceOutcome(sc, recorder, partial, { ...meta, status, targets: targets.targets })
  const progress = new ProgressBar()
  const run = yield* issuanceRun(
    sc,
    runSeed,
    (day, partial) => {
      recorder.endDay(day, partial.world)
      progress.update({
        done: day,
        total: sc.durationDays,
        simulatedDate: simulatedDate(PILOT_START_S, partial.endUs),
        events: partial.world.digest.recordCount,
      })
      if (day % 10 !== 0) return
      const status = `running (day ${day})`
      report.snapshot(
        outcomeOf({ ...partial, digest: null }, status),
        summaryOf({ ...partial, digest: null }, { ...meta, status }),
      )
    },
    [recorder],
  ).pipe(Effect.provide(ISSUANCE_LAYERS))
  progress.finish()
  report.finish(outcomeOf(run, "complete"), summaryOf(run, { ...meta, status: "complete" }))
  writePkiFolder(folder, pkiFiles(run.world.pki.ca))
  const violations = Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)
  yield* Console.log(
    `run ${sc.name}: seed ${runSeed}, digest ${run.digest}, ${violations} invariant violations → ${summaryPath}`,
  )
  if (violations > 0) process.exitCode = EXIT.checkFailed
})

export const runCommand = Command.make(
  "run",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("the scenario JSON file")),
    out: Flag.String("out").pipe(
      Flag.optional,
      Flag.withDescription(
        "the run folder (summary.json, CSV, report.html, pki/); default out/runs/<scenario>",
      ),
    ),
    seed: Flag.Int("seed").pipe(Flag.optional, Flag.withDescription("overrides the scenario's seed")),
    scale: Flag.Finite("scale").pipe(
      Flag.optional,
      Flag.withDescription("pilot scenarios: overrides scaleFactor (users and targets × scale)"),
    ),
    until: Flag.String("until").pipe(
      Flag.optional,
      Flag.withDescription("pilot scenarios: stop at the end of this date (YYYY-MM-DD)"),
    ),
  },
  Effect.fn(function* ({ scenario, out: outFlag, seed, scale, until }) {
    const out = outFlag._tag === "Some" ? outFlag.value : join("out", "runs", basename(scenario, ".json"))
    const read = yield* readScenarioJson(scenario)
    if (read === null) return
    const { text, json } = read
    if (isPilotScenario(json)) {
      const pilot = runPilotCommand({
        json,
        text,
        out,
        seed: seed._tag === "Some" ? seed.value : null,
        scale: scale._tag === "Some" ? scale.value : null,
        untilDate: until._tag === "Some" ? until.value : null,
        progress: process.stderr,
      })
      if (!pilot.ok) {
        yield* Console.error(`tsm-twin run: ${scenario} is not a valid scenario:\n${pilot.message}`)
        process.exitCode = EXIT.badInput
        return
      }
      yield* Console.log(`${pilot.table}\n\n${pilot.line}`)
      if (pilot.violations > 0) process.exitCode = EXIT.checkFailed
      return
    }
    if (isMoneyScenario(json)) {
      const hash = createHash("sha256").update(text).digest("hex")
      const money = runMoneyScenario(json, hash, out, seed._tag === "Some" ? seed.value : null)
      if (!money.ok)
        yield* Console.error(`tsm-twin run: ${scenario} is not a valid scenario:\n${money.message}`)
      else yield* Console.log(money.line)
      process.exitCode = !money.ok
        ? EXIT.badInput
        : money.violations > 0
          ? EXIT.checkFailed
          : process.exitCode
      return
    }
    yield* runIssuanceCommand({ scenario, text, json, out, seed })
  }),
)
