/**
 * `npm start`: the pilot as planned (scenarios/04-pilot-plan.json) at scale 0.2, watchable live.
 * The viewer server starts first and its URL is printed, then the run goes as fast as it can with
 * the viewer attached (frames at ≤ 10 Hz; the run is the headless run, same digest), and at the
 * end the phase-target table, the run folder and the digest are printed as `npm run
 * start:headless` prints them. On a terminal the viewer keeps serving the finished run until
 * Ctrl-C; otherwise (CI, a pipe) the command exits. Ctrl-C or SIGTERM during the run stops it
 * between two chunks, finishes the folder as "interrupted" and exits 130/143. `--headless` or
 * TSM_TWIN_HEADLESS=1 runs without a server (app/cli/start.ts); TSM_TWIN_PORT chooses the port
 * (default 8730, a free one when it is taken, which is said).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { isoFromDays } from "../../model/calendar/civil-calendar.ts"
import { checkInvariants, type PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { startViewerServer, type ViewerServer } from "../../sim/server/viewer-server.ts"
import { ensureViewer, VIEWER_DIST_DEFAULT } from "../live/build-viewer.ts"
import { demoRoute } from "../live/demo-session.ts"
import { SCENARIO_DIR } from "../live/pilot-catalogue.ts"
import type { PilotRun } from "../live/pilot-run-session.ts"
import { makeViewerSession, type ViewerSession } from "../live/viewer-session.ts"
import { RunReport } from "../report/run-report.ts"
import { EXIT } from "../run/exit-codes.ts"
import { phaseTable } from "../run/phase-table.ts"
import { pilotOutcome } from "../run/pilot-outcome.ts"

/** A fifth of Guiyang, as `npm run start:headless`; TSM_TWIN_START_SCALE lets tests run it tiny. */
const START_SCALE = Number(process.env.TSM_TWIN_START_SCALE ?? 0.2)
const SCENARIO = "04-pilot-plan"

const headless = process.argv.includes("--headless") || process.env.TSM_TWIN_HEADLESS === "1"

const serve = async (session: ViewerSession, dist: string): Promise<ViewerServer> => {
  const port = Number(process.env.TSM_TWIN_PORT ?? 8730)
  const server = await startViewerServer(session, {
    port,
    portFallback: true,
    staticDir: dist,
    route: demoRoute,
  })
  if (server.portTaken) process.stdout.write(`port ${port} is taken; serving on ${server.port} instead\n`)
  return server
}

const progress = (startNs: bigint) => {
  const tty = process.stderr.isTTY === true
  let lastNs = 0n
  return (day: number, days: number, zeroDays: number) => {
    const now = process.hrtime.bigint()
    const due = tty
      ? now - lastNs > 250_000_000n
      : Math.floor((10 * day) / days) > Math.floor((10 * (day - 1)) / days)
    if (!due && day !== days) return
    lastNs = now
    const wallS = Number(now - startNs) / 1e9
    const line = `${isoFromDays(zeroDays + day - 1)} ${Math.round((100 * day) / days)}%  ${wallS.toFixed(0)} s  ETA ${Math.round((wallS * (days - day)) / Math.max(day, 1))} s`
    process.stderr.write(tty ? `\r${line}   ` : `${line}\n`)
  }
}

const main = async (): Promise<void> => {
  const path = join(SCENARIO_DIR, `${SCENARIO}.json`)
  const text = readFileSync(path, "utf8")
  const shown = relative(process.cwd(), path)
  const out = join(
    "out",
    "runs",
    START_SCALE === 0.2 ? "04-pilot-plan-start" : `04-pilot-plan-start-${START_SCALE}`,
  )
  process.stdout.write(
    `tsm-twin: the Guiyang mobile-finance pilot 2014-08 → 2017-07, ${shown} at scale ${START_SCALE}\n`,
  )
  const dist = await ensureViewer(VIEWER_DIST_DEFAULT)
  const report = new RunReport(out)
  const startNs = process.hrtime.bigint()
  const tick = progress(startNs)
  let state: PilotRunState | null = null
  let meta = { scenario: SCENARIO, seed: 0, scenarioHash: createHash("sha256").update(text).digest("hex") }
  const session = makeViewerSession({
    scenario: SCENARIO,
    scale: START_SCALE,
    speed: null,
    onDay: (day, days) => {
      if (state === null) return
      tick(day, days, state.world.timeZeroDays)
      if (day % 30 === 0 && day < days)
        report.snapshot(pilotOutcome(state, { ...meta, status: `running (day ${day})` }), {
          scale: START_SCALE,
        })
    },
  })
  const run = session.pilot()!
  state = run.live.state
  meta = { ...meta, seed: run.info.seed }
  report.start({ ...meta, kind: "pilot", startEpochS: state.world.timeZeroDays * 86_400 })
  const server = await serve(session, dist)
  process.stdout.write(`viewer: ${server.url}  (live while the run goes)\n`)
  const signal = await doneOrSignal(run)
  if (process.stderr.isTTY) process.stderr.write("\n")
  if (signal !== null) {
    finishInterrupted(report, state, meta)
    await server.close()
    await session.close()
    process.exit(signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint)
  }
  if (run.live.status !== "done") {
    process.stdout.write("The run was replaced from the viewer; no phase-target table for it.\n")
  } else finish(report, state, meta, startNs)
  if (process.stdout.isTTY) {
    process.stdout.write(`\nThe viewer keeps serving the finished run at ${server.url} — Ctrl-C to stop.\n`)
    return
  }
  await server.close()
  await session.close()
}

/**
 * Waits for the run's end; SIGINT/SIGTERM meanwhile stop it between two chunks (its run control's
 * fiber is interrupted) and name the signal, so the folder can be finished as "interrupted".
 */
const doneOrSignal = async (run: PilotRun): Promise<NodeJS.Signals | null> => {
  let signal: NodeJS.Signals | null = null
  const onSignal = (s: NodeJS.Signals) => {
    signal = s
    void run.live.stop()
  }
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  await run.done
  process.removeListener("SIGINT", onSignal)
  process.removeListener("SIGTERM", onSignal)
  return signal
}

/** The folder of a run stopped by a signal: the report so far, invariants checked on it. */
const finishInterrupted = (
  report: RunReport,
  state: PilotRunState,
  meta: { scenario: string; seed: number; scenarioHash: string },
) => {
  checkInvariants(state)
  report.finish(pilotOutcome(state, { ...meta, status: "interrupted" }), {
    scale: START_SCALE,
    cryptoOperations: state.world.cryptoCounts,
    violations: state.violations.slice(0, 100),
  })
  process.stderr.write(`interrupted: partial report → ${report.summaryPath}\n`)
}

const finish = (
  report: RunReport,
  state: PilotRunState,
  meta: { scenario: string; seed: number; scenarioHash: string },
  startNs: bigint,
) => {
  const outcome = pilotOutcome(state, { ...meta, status: "complete" })
  report.finish(outcome, {
    scale: START_SCALE,
    cryptoOperations: state.world.cryptoCounts,
    violations: state.violations.slice(0, 100),
  })
  const violations = Object.values(outcome.invariants).reduce((n, c) => n + c.violations, 0)
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9
  const shown = relative(process.cwd(), join(SCENARIO_DIR, `${SCENARIO}.json`))
  process.stdout.write(`\n${phaseTable(outcome, START_SCALE)}\n\n`)
  process.stdout.write(
    `run ${meta.scenario}: scale ${START_SCALE}, seed ${meta.seed}, ${outcome.kpis.events?.value} events in ${wallS.toFixed(1)} s, digest ${outcome.digest}, ${violations} invariant violations → ${report.summaryPath}\n`,
  )
  process.stdout.write(
    `\nReport: ${join(dirname(report.summaryPath), "report.html")}\nFull scale (4.4 M users, 1 % byte-level): npx tsm-twin run ${shown} --scale 1 --out out/runs/04-pilot-plan\n` +
      `Watch any scenario live: npx tsm-twin view --scenario 08-mtps-outage --scale 0.05 · every scenario: npx tsm-twin list\n`,
  )
  if (violations > 0) process.exitCode = 1
}

if (headless) await import("./start.ts")
else await main()
