/**
 * The run behind `tsm-twin view` and `npm start` (sim/server/run-session.ts): the scenario picker
 * lists the library's pilot scenarios and the viewer demos; a pilot scenario runs live through
 * pilot-run-session.ts, a demo through the demo session (app/live/ and model/world/demo/), and either one
 * can replace the other, one replacement at a time. Records of whichever run is current go to one
 * broadcast sink; commands go to the current run's run control (DESIGN.md §2: run control only,
 * never a party).
 */
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { DEMO_SPECS } from "../../model/world/demo/demo-spec.ts"
import { BroadcastSink } from "../../sim/recorder/broadcast-sink.ts"
import { NdjsonSink } from "../../sim/recorder/ndjson-sink.ts"
import type { CatalogueEntry, Command, Progress, RunInfo } from "../../sim/server/protocol.ts"
import type { CommandOutcome, RunSession } from "../../sim/server/run-session.ts"
import { type DemoSession, makeDemoSession } from "./demo-session.ts"
import { FlowStore } from "./flow-store.ts"
import type { Injection } from "./live-pilot.ts"
import { type PilotFile, pilotFiles } from "./pilot-catalogue.ts"
import { type PilotRun, startPilotRun } from "./pilot-run-session.ts"

/** Two simulated days per wall second: the three-year pilot in about nine minutes. */
export const PILOT_SPEED_DEFAULT = 2 * 86_400

export interface ViewerSessionOptions {
  readonly scenario: string
  readonly seed?: number | null
  readonly scale: number
  readonly untilDate?: string | null
  readonly speed: number | null
  /** Records the first run to this NDJSON run file. */
  readonly recordPath?: string | null
  readonly injections?: ReadonlyArray<Injection>
  readonly onDay?: (day: number, days: number) => void
}

export interface ViewerSession extends RunSession {
  /** The current pilot run; null while a demo runs. */
  pilot(): PilotRun | null
  /** Resolves when the current run ends (done or replaced). */
  finished(): Promise<void>
  close(): Promise<void>
}

type Current =
  | { readonly kind: "pilot"; readonly run: PilotRun }
  | { readonly kind: "demo"; readonly demo: DemoSession }

export const viewerScenarios = (): { pilots: PilotFile[]; entries: CatalogueEntry[] } => {
  const pilots = pilotFiles()
  const entries = [
    ...pilots.map((p) => ({ id: p.id, title: p.title })),
    ...DEMO_SPECS.map((s) => ({ id: s.id, title: `${s.title} (demo, not the pilot)`.slice(0, 256) })),
  ]
  return { pilots, entries }
}

const refuse = (code: "rejected" | "unknown-fault" | "unknown-scenario" | "unknown-flow", message: string) =>
  ({ ok: false, code, message }) as const

export const makeViewerSession = (options: ViewerSessionOptions): ViewerSession => {
  const records = new BroadcastSink(8)
  const flows = new FlowStore()
  records.subscribe((r) => flows.add(r))
  const listeners = new Set<() => void>()
  const { pilots, entries } = viewerScenarios()
  let recordPath = options.recordPath ?? null
  let speed = options.speed
  let seed: number | null = options.seed ?? null
  let current: Current

  const launch = (id: string, injections: ReadonlyArray<Injection>): Current | null => {
    const file = pilots.find((p) => p.id === id)
    const recorder = recordPath === null ? null : new NdjsonSink({ path: recordPath })
    if (file !== undefined) {
      recordPath = null
      const run = startPilotRun({
        path: file.path,
        seed,
        scale: options.scale,
        untilDate: options.untilDate ?? null,
        speed,
        crypto: nativeCrypto,
        sinks: [records],
        recorder,
        injections,
        ...(options.onDay === undefined ? {} : { onDay: options.onDay }),
      })
      seed = run.info.seed
      return { kind: "pilot", run }
    }
    recorder?.close()
    if (!DEMO_SPECS.some((s) => s.id === id)) return null
    const demo = makeDemoSession({ scenario: id, seed: seed ?? 1, speed, recordPath })
    recordPath = null
    demo.records.subscribe((r) => records.write(r))
    return { kind: "demo", demo }
  }

  const first = launch(options.scenario, options.injections ?? [])
  if (first === null)
    throw new RangeError(`no scenario "${options.scenario}" (known: ${entries.map((e) => e.id).join(", ")})`)
  current = first

  const stop = async (c: Current) => {
    if (c.kind === "pilot") {
      await c.run.live.stop()
      await c.run.done
    } else await c.demo.close()
  }

  /**
   * Replacements run one at a time: the current run is stopped and its loop has ended before the
   * next world is built, so there is never more than one run (DESIGN.md §2). Requests that arrive
   * while one is under way wait; of those waiting, only the newest is carried out and the others
   * are answered by it (a burst of restarts ends in the last one asked for, not in a queue of
   * worlds built only to be thrown away).
   */
  let replacing: Promise<void> | null = null
  let waiting: { id: string; seed: number | null; answers: Array<() => void> } | null = null

  const replaceNow = async (id: string, newSeed: number | null): Promise<void> => {
    await stop(current)
    flows.clear()
    if (newSeed !== null) seed = newSeed
    else if (current.kind === "pilot" && !pilots.some((p) => p.id === id)) seed = current.run.info.seed
    current = launch(id, [])!
    for (const l of listeners) l()
  }

  const drain = async (): Promise<void> => {
    while (waiting !== null) {
      const next = waiting
      waiting = null
      await replaceNow(next.id, next.seed)
      for (const answer of next.answers) answer()
    }
    replacing = null
  }

  const replace = (id: string, newSeed: number | null): Promise<CommandOutcome> => {
    if (!pilots.some((p) => p.id === id) && !DEMO_SPECS.some((s) => s.id === id))
      return Promise.resolve(refuse("unknown-scenario", `no scenario "${id}"`))
    return new Promise<CommandOutcome>((answer) => {
      const answers = [...(waiting?.answers ?? []), () => answer({ ok: true })]
      waiting = { id, seed: newSeed, answers }
      replacing ??= drain()
    })
  }

  const pilotCommand = (run: PilotRun, c: Command): CommandOutcome | Promise<CommandOutcome> => {
    const d = run.live
    switch (c.type) {
      case "pause":
        d.pause()
        return { ok: true }
      case "resume":
        d.resume()
        return { ok: true }
      case "step":
        if (d.status !== "paused") return refuse("rejected", "step works on a paused run; pause first")
        d.step(c.events)
        return { ok: true }
      case "speed":
        speed = c.factor
        d.setSpeed(c.factor)
        return { ok: true }
      case "inject": {
        const problem = d.inject(c.fault)
        if (problem === null) return { ok: true }
        return refuse(problem.startsWith("no fault") ? "unknown-fault" : "rejected", problem)
      }
      case "scenario":
        return replace(c.scenario, null)
      case "restart":
        return replace(run.info.scenario, c.seed)
      case "inspect": {
        const detail = flows.get(c.flow)
        return detail === undefined
          ? refuse("unknown-flow", `no traced flow "${c.flow}" kept`)
          : { ok: true, detail }
      }
    }
  }

  const command = async (c: Command): Promise<CommandOutcome> => {
    const now = current
    if (now.kind === "pilot") return pilotCommand(now.run, c)
    if (c.type === "scenario" && !DEMO_SPECS.some((s) => s.id === c.scenario))
      return replace(c.scenario, null)
    if (c.type === "speed") speed = c.factor
    return now.demo.command(c)
  }

  const progress = (): Progress => {
    if (current.kind === "demo") return current.demo.progress()
    const d = current.run.live
    const state = d.status === "stopped" ? "done" : d.status
    return {
      state,
      tUs: d.kernel.nowUs,
      events: d.kernel.eventsProcessed,
      eventsPerSecond: d.eventsPerSecond(),
      speed: d.getSpeed(),
    }
  }

  return {
    records,
    scenarios: entries,
    info: (): RunInfo => (current.kind === "pilot" ? current.run.info : current.demo.info()),
    faults: () => (current.kind === "pilot" ? current.run.faults : current.demo.faults()),
    progress,
    digest: () => {
      if (current.kind === "demo") return current.demo.digest()
      return current.run.live.status === "done" ? current.run.live.state.world.digest.hex() : null
    },
    command,
    onReplace: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    pilot: () => (current.kind === "pilot" ? current.run : null),
    finished: async () => {
      if (current.kind === "pilot") await current.run.done
      else await current.demo.finished()
    },
    close: async () => {
      await replacing
      await stop(current)
      records.close()
    },
  }
}
