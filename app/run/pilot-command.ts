/**
 * `tsm-twin run <pilot scenario>`: decodes (exit 2 with every error's path), runs the pilot
 * composed from the default layers (model/world/pilot/pilot-root.ts: native crypto, the faithful
 * parties) with a progress line on stderr (simulated date, events/s, ETA), writes the run
 * folder through the report machinery (summary.json, CSV series, report.html — every 30 simulated
 * days and at the end, so a killed run leaves readable results) and prints the phase-target table.
 * The caller exits 1 when an invariant was violated or a reached phase target missed
 * (app/run/run-checks.ts). The run is paced by sim/run's RunControl at full speed, a day per boundary, yielding to the event loop
 * between chunks, so SIGINT/SIGTERM interrupt it within one chunk and the folder is finished with
 * status "interrupted".
 */
import { createHash } from "node:crypto"
import { Effect } from "effect"
import { daysFromIso, isoFromDays } from "../../model/calendar/civil-calendar.ts"
import { PILOT_LAYERS, pilotStart } from "../../model/world/pilot/pilot-root.ts"
import { checkInvariants, type PilotRunState, pilotBoundary } from "../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import { makeRunControl } from "../../sim/run/run-control.ts"
import { RunReport } from "../report/run-report.ts"
import { evaluateTargets, missedTargets } from "../report/targets.ts"
import { openByteEvidence } from "./byte-evidence.ts"
import { phaseTable } from "./phase-table.ts"
import { type OutcomeMeta, pilotOutcome } from "./pilot-outcome.ts"

export interface PilotCommandOptions {
  readonly json: unknown
  readonly text: string
  readonly out: string
  readonly seed: number | null
  readonly scale: number | null
  readonly untilDate: string | null
  /** Where progress goes; null = silent. */
  readonly progress: NodeJS.WriteStream | null
  /** `--trace-cards N`: pcaps of the first N byte-level cards (byte-evidence.ts); 0 or absent = none. */
  readonly traceCards?: number
  /** `--threads N` (model/world/pilot/pilot-world.ts WorldOptions.threads); absent = 1. */
  readonly threads?: number
}

export type PilotCommandResult =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true
      readonly table: string
      readonly violations: number
      readonly targetsMissed: number
      readonly line: string
      readonly wallS: number
    }

const progressLine = (s: PilotRunState, day: number, days: number, startNs: bigint): string => {
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9
  const events = s.world.kernel.eventsProcessed
  const etaS = day === 0 ? 0 : (wallS * (days - day)) / day
  const width = 24
  const done = Math.round((width * day) / days)
  const date = isoFromDays(s.world.timeZeroDays + day - 1)
  return `${date} [${"#".repeat(done)}${".".repeat(width - done)}] ${Math.round((100 * day) / days)}%  ${(events / Math.max(wallS, 1e-3) / 1e6).toFixed(2)} M events/s  ETA ${Math.round(etaS)} s`
}

/** Wall-clock bounds of the run loop: a signal is answered within one chunk (DESIGN.md §2). */
const CHUNK_EVENTS = 200_000
const SLICE_MS = 100

export const runPilotCommand = (o: PilotCommandOptions): Effect.Effect<PilotCommandResult> =>
  Effect.gen(function* () {
    const decoded = decodePilotScenario(o.json)
    if (!decoded.ok) return decoded
    const sc = decoded.value
    const seed = o.seed ?? sc.seed
    const scale = o.scale ?? sc.scaleFactor
    const meta = { scenario: sc.name, seed, scenarioHash: createHash("sha256").update(o.text).digest("hex") }
    const report = new RunReport(o.out)
    report.start({
      ...meta,
      kind: "pilot",
      startEpochS: daysFromIso(decoded.population.timeZeroDate) * 86_400,
    })
    const startNs = process.hrtime.bigint()
    // The world is composed from the default layers: native crypto and the faithful parties.
    const start = yield* pilotStart({
      scenario: sc,
      population: decoded.population,
      scale,
      seed,
      ...(o.untilDate === null ? {} : { untilDate: o.untilDate }),
      ...(o.threads === undefined ? {} : { threads: o.threads }),
    }).pipe(Effect.provide(PILOT_LAYERS))
    const state = start.state
    const evidence = openByteEvidence(o.out, state.world, o.traceCards ?? 0)
    const onDay = dayReporter(o, report, meta, scale, startNs)
    const rc = yield* makeRunControl(state.world.kernel, {
      chunkEvents: CHUNK_EVENTS,
      sliceMs: SLICE_MS,
      boundaryEveryUs: US_PER_DAY,
      onBoundary: pilotBoundary(start, { onDay }),
    })
    // A signal interrupts this fiber between two chunks: the folder still gets the whole report
    // of the run so far, marked interrupted, before the process exits 130/143 (app/cli/main.ts).
    yield* rc.start(start.days * US_PER_DAY).pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          if (o.progress?.isTTY) o.progress.write("\n")
          state.world.issuanceJobs.close()
          evidence.finish()
          const { reached } = finishReport(report, state, { ...meta, status: "interrupted" }, scale)
          o.progress?.write(`interrupted on ${reached}: partial report → ${report.summaryPath}\n`)
        }),
      ),
    )
    if (o.progress?.isTTY) o.progress.write("\n")
    state.world.issuanceJobs.close()
    evidence.finish()
    const { outcome, violations } = finishReport(report, state, { ...meta, status: "complete" }, scale)
    const wallS = Number(process.hrtime.bigint() - startNs) / 1e9
    return {
      ok: true,
      table: phaseTable(outcome, scale),
      violations,
      targetsMissed: missedTargets(evaluateTargets(outcome)).length,
      wallS,
      line: `run ${sc.name}: scale ${scale}, seed ${seed}, ${outcome.kpis.events?.value} events in ${wallS.toFixed(1)} s, digest ${outcome.digest}, ${violations} invariant violations → ${report.summaryPath}`,
    } as const
  })

/** Progress on stderr and a snapshot of the folder every 30 simulated days. */
const dayReporter = (
  o: PilotCommandOptions,
  report: RunReport,
  meta: Omit<OutcomeMeta, "status">,
  scale: number,
  startNs: bigint,
) => {
  let lastPrintNs = 0n
  return (day: number, days: number, s: PilotRunState): void => {
    const now = process.hrtime.bigint()
    // A terminal gets a redrawn line 4 times a second; a log file a line on the first simulated
    // day (the world is built and running) and one per tenth of the run.
    const due = o.progress?.isTTY
      ? now - lastPrintNs > 250_000_000n
      : day === 1 || Math.floor((10 * day) / days) > Math.floor((10 * (day - 1)) / days)
    if (o.progress !== null && (due || day === days)) {
      lastPrintNs = now
      const line = progressLine(s, day, days, startNs)
      o.progress.write(o.progress.isTTY ? `\r${line}` : `${line}\n`)
    }
    if (day % 30 === 0 && day < days)
      report.snapshot(pilotOutcome(s, { ...meta, status: `running (day ${day})` }), { scale })
  }
}

/**
 * The folder's final state: the outcome so far, with the invariants checked on it when the run
 * stopped early (they hold between any two events, not only at day ends), and the simulated
 * date reached.
 */
const finishReport = (report: RunReport, state: PilotRunState, meta: OutcomeMeta, scale: number) => {
  if (meta.status !== "complete") checkInvariants(state)
  const outcome = pilotOutcome(state, meta)
  report.finish(outcome, {
    scale,
    cryptoOperations: state.world.cryptoCounts,
    violations: state.violations.slice(0, 100),
  })
  const violations = Object.values(outcome.invariants).reduce((n, c) => n + c.violations, 0)
  const reached = isoFromDays(state.world.timeZeroDays + Math.floor(state.world.kernel.nowUs / US_PER_DAY))
  return { outcome, violations, reached }
}
