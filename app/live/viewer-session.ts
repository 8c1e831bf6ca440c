/**
 * The run behind `tsm-twin view` and `npm start` (sim/server/run-session.ts): the scenario picker
 * lists the library's pilot scenarios and the viewer demos; a pilot scenario runs live through
 * pilot-run-session.ts, a demo through the demo session (app/live/ and model/world/demo/), and either one
 * can replace the other. Records of whichever run is current go to one broadcast sink; commands
 * go to the current run's driver (DESIGN.md §2: run control only, never a party).
 */
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { DEMO_SPECS } from "../../model/world/demo/demo-spec.ts"
import { BroadcastSink } from "../../sim/recorder/broadcast-sink.ts"
import { NdjsonSink } from "../../sim/recorder/ndjson-sink.ts"
import type { CatalogueEntry, Command, Progress, RunInfo } from "../../sim/server/protocol.ts"
import type { CommandOutcome, RunSession } from "../../sim/server/run-session.ts"
import { type DemoSession, makeDemoSession } from "./demo-session.ts"
import { FlowStore } from "./flow-store.ts"
import { type PilotFile, pilotFiles } from "./pilot-catalogue.ts"
import type { Injection } from "./pilot-driver.ts"
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

/** A viewer command against a pilot run: run control goes to its driver only (DESIGN.md §2). */
const pilotCommand = (
  run: PilotRun,
  c: Command,
  ctx: {
    readonly flows: FlowStore
    readonly replace: (id: string, seed: number | null) => Promise<CommandOutcome>
    readonly onSpeed: (factor: number | null) => void
  },
): CommandOutcome | Promise<CommandOutcome> => {
  const d = run.driver
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
      ctx.onSpeed(c.factor)
      d.setSpeed(c.factor)
      return { ok: true }
    case "inject": {
      const problem = d.inject(c.fault)
      if (problem === null) return { ok: true }
      return refuse(problem.startsWith("no fault") ? "unknown-fault" : "rejected", problem)
    }
    case "scenario":
      return ctx.replace(c.scenario, null)
    case "restart":
      return ctx.replace(run.info.scenario, c.seed)
    case "inspect": {
      const detail = ctx.flows.get(c.flow)
      return detail === undefined
        ? refuse("unknown-flow", `no traced flow "${c.flow}" kept`)
        : { ok: true, detail }
    }
  }
}

const pilotProgress = (run: PilotRun): Progress => {
  const d = run.driver
  return {
    state: d.status === "stopped" ? "done" : d.status,
    tUs: d.kernel.nowUs,
    events: d.kernel.eventsProcessed,
    eventsPerSecond: d.eventsPerSecond(),
    speed: d.getSpeed(),
  }
}

/** Starts scenario `id`: a pilot file of the library or a viewer demo; null when it is neither. */
const launchRun = (
  id: string,
  injections: ReadonlyArray<Injection>,
  ctx: {
    readonly pilots: ReadonlyArray<PilotFile>
    readonly options: ViewerSessionOptions
    readonly records: BroadcastSink
    readonly recordPath: string | null
    readonly seed: number | null
    readonly speed: number | null
  },
): Current | null => {
  const { options, recordPath, seed, speed } = ctx
  const file = ctx.pilots.find((p) => p.id === id)
  const recorder = recordPath === null ? null : new NdjsonSink({ path: recordPath })
  if (file !== undefined) {
    const run = startPilotRun({
      path: file.path,
      seed,
      scale: options.scale,
      untilDate: options.untilDate ?? null,
      speed,
      crypto: nativeCrypto,
      sinks: [ctx.records],
      recorder,
      injections,
      ...(options.onDay === undefined ? {} : { onDay: options.onDay }),
    })
    return { kind: "pilot", run }
  }
  recorder?.close()
  if (!DEMO_SPECS.some((s) => s.id === id)) return null
  const demo = makeDemoSession({ scenario: id, seed: seed ?? 1, speed, recordPath })
  demo.records.subscribe((r) => ctx.records.write(r))
  return { kind: "demo", demo }
}

/** The run's digest once it is done; null before (it would cover a prefix only). */
const digestOf = (c: Current): string | null => {
  if (c.kind === "demo") return c.demo.digest()
  return c.run.driver.status === "done" ? c.run.driver.state.world.digest.hex() : null
}

const finishedOf = async (c: Current): Promise<void> => {
  if (c.kind === "pilot") await c.run.done
  else await c.demo.finished()
}

const stop = async (c: Current) => {
  if (c.kind === "pilot") {
    c.run.driver.stop()
    await c.run.done
  } else await c.demo.close()
}

export const makeViewerSession = (options: ViewerSessionOptions): ViewerSession => {
  const records = new BroadcastSink(8)
  const flows = new FlowStore()
  records.subscribe((r) => flows.add(r))
  const listeners = new Set<() => void>()
  const { pilots, entries } = viewerScenarios()
  let recordPath = options.recordPath ?? null
  let speed = options.speed
  let seed: number | null = options.seed ?? null

  const launch = (id: string, injections: ReadonlyArray<Injection>): Current | null => {
    const launched = launchRun(id, injections, { pilots, options, records, recordPath, seed, speed })
    if (launched !== null) recordPath = null
    if (launched?.kind === "pilot") seed = launched.run.info.seed
    return launched
  }

  const first = launch(options.scenario, options.injections ?? [])
  if (first === null)
    throw new RangeError(`no scenario "${options.scenario}" (known: ${entries.map((e) => e.id).join(", ")})`)
  let current: Current = first

  const replace = async (id: string, newSeed: number | null): Promise<CommandOutcome> => {
    if (!pilots.some((p) => p.id === id) && !DEMO_SPECS.some((s) => s.id === id))
      return refuse("unknown-scenario", `no scenario "${id}"`)
    await stop(current)
    flows.clear()
    if (newSeed !== null) seed = newSeed
    else if (current.kind === "pilot" && !pilots.some((p) => p.id === id)) seed = current.run.info.seed
    current = launch(id, [])!
    for (const l of listeners) l()
    return { ok: true }
  }

  const command = async (c: Command): Promise<CommandOutcome> => {
    const now = current
    const onSpeed = (factor: number | null) => {
      speed = factor
    }
    if (now.kind === "pilot") return pilotCommand(now.run, c, { flows, replace, onSpeed })
    if (c.type === "scenario" && !DEMO_SPECS.some((s) => s.id === c.scenario))
      return replace(c.scenario, null)
    if (c.type === "speed") onSpeed(c.factor)
    return now.demo.command(c)
  }

  return {
    records,
    scenarios: entries,
    info: (): RunInfo => (current.kind === "pilot" ? current.run.info : current.demo.info()),
    faults: () => (current.kind === "pilot" ? current.run.faults : current.demo.faults()),
    progress: (): Progress =>
      current.kind === "demo" ? current.demo.progress() : pilotProgress(current.run),
    digest: () => digestOf(current),
    command,
    onReplace: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    pilot: () => (current.kind === "pilot" ? current.run : null),
    finished: () => finishedOf(current),
    close: async () => {
      await stop(current)
      records.close()
    },
  }
}
