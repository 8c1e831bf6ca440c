/**
 * `tsm-twin run <scenario.json> [--out <dir>] [--seed N] [--scale S] [--until DATE]
 * [--byte-level F] [--trace-cards N]`: reads the
 * scenario with the flags applied (app/run/scenario-input.ts: exit 2 with every error's JSON path
 * or flag), runs it with native crypto, writes `summary.json` atomically at the start, every ten
 * simulated days and at the end (so a killed run leaves a readable summary), and `pki/` (the MTPS
 * CA and every institution's certificate as PEM). Exit 1 when an invariant was violated or a
 * phase target the run reached was missed (app/run/run-checks.ts). The folder also gets the run
 * report (app/report/run-report.ts: targets with pass/fail/not reached and margin, CSV time
 * series, report.html) and stderr a progress line.
 */
import { createHash } from "node:crypto"
import { mkdirSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import { pkiFiles } from "../../model/host/pki/pki-files.ts"
import { ISSUANCE_LAYERS, issuanceRun } from "../../model/world/issuance/issuance-root.ts"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import type { IssuanceRun } from "../../model/world/issuance/run-issuance.ts"
import { PILOT_LIMITS } from "../../model/world/pilot/pilot-scenario.ts"
import { simulatedDate } from "../report/format.ts"
import { RunReport } from "../report/run-report.ts"
import { decodeTargets, evaluateTargets, missedTargets } from "../report/targets.ts"
import { BadInput } from "../run/errors.ts"
import { IssuanceRecorder, issuanceOutcome } from "../run/issuance-outcome.ts"
import { runMoneyScenario } from "../run/money-command.ts"
import { runPilotCommand } from "../run/pilot-command.ts"
import { writePkiFolder } from "../run/pki-folder.ts"
import { runChecks } from "../run/run-checks.ts"
import { type LoadedScenario, loadScenario } from "../run/scenario-input.ts"
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

/** The run folder, made before the run: one that cannot be made is the user's --out, not a bug. */
const runFolder = (out: string) =>
  Effect.try({
    try: () => mkdirSync(resolve(out), { recursive: true }),
    catch: (error) =>
      new BadInput({
        reason: "invalid-flag",
        subject: "tsm-twin run",
        problems: [
          {
            at: "--out",
            text: `cannot make the run folder ${out}: ${(error as { code?: string }).code ?? String(error)}`,
          },
        ],
      }),
  })

/** `--trace-cards N`: 0 … TRACE_CARDS_MAX, pilot scenarios only; exit 2 naming the flag otherwise. */
const TRACE_CARDS_MAX = 1000
const traceCardsOf = (n: number, kind: string) => {
  const problem =
    n < 0 || n > TRACE_CARDS_MAX
      ? `must be an integer in [0, ${TRACE_CARDS_MAX}] (given ${n})`
      : n > 0 && kind !== "pilot"
        ? `applies to pilot scenarios only; this is a ${kind} scenario`
        : null
  return problem === null
    ? Effect.succeed(n)
    : Effect.fail(
        new BadInput({
          reason: "invalid-flag",
          subject: "tsm-twin run",
          problems: [{ at: "--trace-cards", text: problem }],
        }),
      )
}

/** A pilot scenario: the phase table on stdout, then the run line. */
const runPilotScenario = (loaded: LoadedScenario, out: string, traceCards: number) =>
  Effect.gen(function* () {
    const pilot = yield* runPilotCommand({
      json: loaded.json,
      text: loaded.text,
      out,
      seed: null,
      scale: null,
      untilDate: null,
      progress: process.stderr,
      traceCards,
    })
    // The scenario was checked with the flags applied; a decode failure now is a bug.
    if (!pilot.ok) return yield* Effect.die(new Error(`checked scenario failed to decode: ${pilot.message}`))
    yield* Console.log(`${pilot.table}\n\n${pilot.line}`)
    yield* runChecks({ scenario: loaded.name, where: join(out, "summary.json"), ...pilot })
  })

const runMoney = (loaded: LoadedScenario, out: string) =>
  Effect.gen(function* () {
    const hash = createHash("sha256").update(loaded.text).digest("hex")
    const money = runMoneyScenario(loaded.json, hash, out, null)
    if (!money.ok) return yield* Effect.die(new Error(`checked scenario failed to decode: ${money.message}`))
    yield* Console.log(money.line)
    yield* runChecks({ scenario: loaded.name, where: join(out, "summary.json"), ...money })
  })

const runIssuance = (loaded: LoadedScenario, out: string) =>
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
    const outcomeOf = (partial: Parameters<typeof summaryOf>[0], status: string) =>
      issuanceOutcome(sc, recorder, partial, { ...meta, status, targets: targets.targets })
    const progress = new ProgressBar()
    const run = yield* issuanceRun(
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

export const runCommand = Command.make(
  "run",
  {
    scenario: Argument.String("scenario").pipe(
      Argument.withDescription("the scenario JSON file (pilot, money or issuance)"),
    ),
    out: Flag.String("out").pipe(
      Flag.optional,
      Flag.withDescription(
        "the run folder (summary.json, CSV, report.html, pki/); default out/runs/<scenario>",
      ),
    ),
    seed: Flag.Int("seed").pipe(
      Flag.optional,
      Flag.withDescription("overrides the scenario's seed (a safe integer ≥ 0)"),
    ),
    scale: Flag.Finite("scale").pipe(
      Flag.optional,
      Flag.withDescription(
        `pilot scenarios: overrides scaleFactor, in (0, ${PILOT_LIMITS.scaleFactorMax}] (users and targets × scale)`,
      ),
    ),
    until: Flag.String("until").pipe(
      Flag.optional,
      Flag.withDescription(
        'pilot scenarios: stop at the end of this date (YYYY-MM-DD, inside the population\'s horizon); later phases are "not reached"',
      ),
    ),
    byteLevel: Flag.Finite("byte-level").pipe(
      Flag.optional,
      Flag.withDescription(
        "pilot scenarios: share of users simulated byte-level, in [0, 1] (real APDUs, SM2 envelopes, ARQCs); overrides fidelity and lifts its cap",
      ),
    ),
    traceCards: Flag.Int("trace-cards").pipe(
      Flag.optional,
      Flag.withDescription(
        "pilot scenarios: write traces/card-<user>.pcap (ISO 14443, tshark-readable) of the first N byte-level cards' APDUs",
      ),
    ),
  },
  Effect.fn(function* ({ scenario, out: outFlag, seed, scale, until, byteLevel, traceCards }) {
    const out = outFlag._tag === "Some" ? outFlag.value : join("out", "runs", basename(scenario, ".json"))
    const loaded = yield* loadScenario(scenario, {
      seed: seed._tag === "Some" ? seed.value : undefined,
      scale: scale._tag === "Some" ? scale.value : undefined,
      until: until._tag === "Some" ? until.value : undefined,
      byteLevel: byteLevel._tag === "Some" ? byteLevel.value : undefined,
    })
    const traced = yield* traceCardsOf(traceCards._tag === "Some" ? traceCards.value : 0, loaded.kind)
    yield* runFolder(out)
    if (loaded.kind === "pilot") return yield* runPilotScenario(loaded, out, traced)
    if (loaded.kind === "money") return yield* runMoney(loaded, out)
    return yield* runIssuance(loaded, out)
  }),
).pipe(
  Command.withDescription(
    "Run a scenario and write its run folder; exit 1 when an invariant is violated or a reached phase target missed.",
  ),
  Command.withExamples([
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.05",
      description: "the pilot at 5 % scale",
    },
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.02 --until 2015-12-31",
      description: 'stop early; phases after 2015-12-31 show "not reached"',
    },
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.002 --byte-level 1 --trace-cards 3",
      description: "every user byte-level: messages.ndjson, pki/ and three cards' pcaps in the run folder",
    },
    {
      command: "tsm-twin run scenarios/02-issuance-1000.json --out runs/02",
      description: "issuance with pki/",
    },
  ]),
)
