/**
 * The live run behind the viewer server (sim/server/run-session.ts) for the viewer demo: it owns the
 * current DemoWorld and its run control, forwards commands to run control (DESIGN.md §2: commands
 * reach run control, never a party), replaces the run on restart or a scenario change, keeps the
 * traced flows for `inspect`, and can record the run to an NDJSON run file the viewer can replay.
 */
import { Effect, Fiber } from "effect"
import { FLOW_STEP_SIGNAL } from "../../model/signals/flow.ts"
import { ISSUANCE_LATENCY_SIGNAL } from "../../model/signals/issuance-latency.ts"
import { KPI_SIGNAL } from "../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL } from "../../model/signals/party-load.ts"
import { DEMO_EPOCH_US, DEMO_SPECS, type DemoSpec, demoSpec } from "../../model/world/demo/demo-spec.ts"
import { buildDemoWorld, type DemoWorld } from "../../model/world/demo/demo-world.ts"
import { US_PER_DAY } from "../../sim/kernel/time.ts"
import { BroadcastSink } from "../../sim/recorder/broadcast-sink.ts"
import { runFileSink } from "../../sim/recorder/gzip-ndjson-sink.ts"
import type { NdjsonSink } from "../../sim/recorder/ndjson-sink.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import {
  makeRunControl,
  type RunControlShape,
  type Progress as RunProgress,
} from "../../sim/run/run-control.ts"
import type { Route } from "../../sim/server/frame-aggregator.ts"
import {
  type CatalogueEntry,
  type Command,
  type Progress,
  RUN_FILE_VERSION,
  type RunInfo,
} from "../../sim/server/protocol.ts"
import type { CommandOutcome, RunSession } from "../../sim/server/run-session.ts"
import { FlowStore } from "./flow-store.ts"

/** One simulated week per wall second: a three-year demo run takes about two and a half minutes. */
export const DEMO_SPEED_DEFAULT = (7 * US_PER_DAY) / 1_000_000

export interface DemoSessionOptions {
  readonly scenario?: string
  readonly seed?: number
  /** Real-time factor to start with; null = as fast as possible. */
  readonly speed?: number | null
  /** Records the first run to this NDJSON run file. */
  readonly recordPath?: string | null
}

export interface DemoSession extends RunSession {
  world(): DemoWorld
  /** Resolves with the final progress when the current run finishes. */
  finished(): Promise<RunProgress>
  close(): Promise<void>
}

/**
 * The routes already made, by series, by signal and key, and by signal: a watched pilot routes a
 * dozen records every two simulated hours, and building a fresh route and key string for each was
 * a measurable part of its cost. Bounded: past ROUTES_MAX routes, a route is built as before.
 */
const seriesRoutes = new Map<string, Route>()
const latestRoutes = new Map<string, Map<string, Route>>()
const appendRoutes = new Map<string, Route>()
const ROUTES_MAX = 1024
let routesMade = 0
const OMIT: Route = { mode: "omit" }
const LATEST_LATENCY: Route = { mode: "latest", key: ISSUANCE_LATENCY_SIGNAL }

const cached = (cache: Map<string, Route>, name: string, make: () => Route): Route => {
  const hit = cache.get(name)
  if (hit !== undefined) return hit
  const route = make()
  if (routesMade < ROUTES_MAX) {
    routesMade++
    cache.set(name, route)
  }
  return route
}

const latestRoutesOf = (signal: string): Map<string, Route> => {
  let byKey = latestRoutes.get(signal)
  if (byKey === undefined) {
    byKey = new Map()
    latestRoutes.set(signal, byKey)
  }
  return byKey
}

/**
 * Which records coalesce by key (a party's load, a KPI, the latency percentiles), which append,
 * which stay out of frames.
 */
export const demoRoute = (record: Readonly<Record<string, unknown>>): Route => {
  const series = record.series
  if (typeof series === "string")
    return cached(seriesRoutes, series, () => ({ mode: "append", group: `series:${series}` }))
  const signal = record.signal
  if (signal === FLOW_STEP_SIGNAL) return OMIT
  const key = (record.payload as { key?: unknown } | undefined)?.key
  if ((signal === PARTY_LOAD_SIGNAL || signal === KPI_SIGNAL) && typeof key === "string")
    return cached(latestRoutesOf(signal), key, () => ({ mode: "latest", key: `${signal}/${key}` }))
  // The latency percentiles are the run's so far: the viewer shows only the newest (view-state.ts),
  // so a frame carries one, not every day's since the last frame (they were an eighth of its bytes).
  if (signal === ISSUANCE_LATENCY_SIGNAL) return LATEST_LATENCY
  const group = typeof signal === "string" ? signal : "other"
  return cached(appendRoutes, group, () => ({ mode: "append", group }))
}

interface Current {
  readonly world: DemoWorld
  readonly rc: RunControlShape
  readonly fiber: Fiber.Fiber<RunProgress>
  readonly done: Promise<RunProgress>
  readonly info: RunInfo
  readonly recorder: NdjsonSink | null
  speed: number | null
}

const SCENARIOS: ReadonlyArray<CatalogueEntry> = DEMO_SPECS.map((s) => ({ id: s.id, title: s.title }))

/** Starts one demo run: its world, run control and fiber, and the run file when one is asked for. */
const launchDemo = (
  spec: DemoSpec,
  seed: number,
  speed: number | null,
  records: Sink,
  recordPath: string | null,
): Current => {
  const info: RunInfo = {
    scenario: spec.id,
    title: spec.title,
    seed,
    endUs: spec.endUs,
    epochUs: DEMO_EPOCH_US,
  }
  const recorder = recordPath === null ? null : runFileSink(recordPath)
  recorder?.write({ type: "run", protocol: RUN_FILE_VERSION, run: info })
  const sinks: Sink[] = recorder === null ? [records] : [records, recorder]
  const world = buildDemoWorld(spec, seed, sinks)
  const rc = Effect.runSync(makeRunControl(world.kernel, { chunkEvents: 20_000, frameMs: 20 }))
  Effect.runSync(rc.setSpeed(speed))
  const fiber = Effect.runFork(rc.start(spec.endUs + 1))
  // An interrupted run (restart, close) ends without an end line: its digest covers a prefix only.
  const done = Effect.runPromise(Fiber.await(fiber)).then((exit) => {
    if (exit._tag === "Success") {
      const p = exit.value
      recorder?.write({ type: "end", tUs: p.simulatedUs, events: p.events, digest: world.digest.hex() })
    }
    recorder?.close()
    return Effect.runSync(rc.progress)
  })
  return { world, rc, fiber, done, info, recorder, speed }
}

const rejected = (message: string): CommandOutcome => ({ ok: false, code: "rejected", message })

class Demo implements DemoSession {
  readonly records = new BroadcastSink(8)
  readonly scenarios = SCENARIOS
  private readonly flows = new FlowStore()
  private readonly listeners = new Set<() => void>()
  private current: Current
  /** One replacement at a time: the old run's fiber has ended before the next world is built. */
  private replacing: Promise<unknown> = Promise.resolve()

  constructor(options: DemoSessionOptions) {
    this.records.subscribe((r) => this.flows.add(r))
    const first = demoSpec(options.scenario ?? DEMO_SPECS[0]!.id)
    if (first === undefined) throw new RangeError(`no demo scenario "${options.scenario}"`)
    const speed = options.speed === undefined ? DEMO_SPEED_DEFAULT : options.speed
    this.current = launchDemo(first, options.seed ?? 1, speed, this.records, options.recordPath ?? null)
  }

  private async replaceNow(spec: DemoSpec, seed: number): Promise<CommandOutcome> {
    const old = this.current
    await Effect.runPromise(Fiber.interrupt(old.fiber))
    old.recorder?.close()
    this.flows.clear()
    this.current = launchDemo(spec, seed, old.speed, this.records, null)
    for (const l of this.listeners) l()
    return { ok: true }
  }

  private replace(spec: DemoSpec, seed: number): Promise<CommandOutcome> {
    const next = this.replacing.then(() => this.replaceNow(spec, seed))
    this.replacing = next.catch(() => undefined)
    return next
  }

  private runProgress(): RunProgress {
    return Effect.runSync(this.current.rc.progress)
  }

  async command(c: Command): Promise<CommandOutcome> {
    const rc = this.current.rc
    switch (c.type) {
      case "pause":
        return Effect.runPromise(rc.pause).then(() => ({ ok: true }))
      case "resume":
        return Effect.runPromise(rc.resume).then(() => ({ ok: true }))
      case "step":
        if (this.runProgress().state !== "paused") return rejected("step works on a paused run; pause first")
        await Effect.runPromise(rc.step(c.events))
        return { ok: true }
      case "speed":
        this.current.speed = c.factor
        return Effect.runPromise(rc.setSpeed(c.factor)).then(() => ({ ok: true }))
      case "inject": {
        if (this.runProgress().state === "done") return rejected("the run is over")
        const problem = this.current.world.inject(c.fault)
        return problem === null ? { ok: true } : { ok: false, code: "unknown-fault", message: problem }
      }
      case "scenario": {
        const spec = demoSpec(c.scenario)
        if (spec === undefined)
          return { ok: false, code: "unknown-scenario", message: `no scenario "${c.scenario}"` }
        return this.replace(spec, this.current.world.seed)
      }
      case "restart":
        return this.replace(this.current.world.spec, c.seed)
      case "run-to":
      case "explain":
        return rejected(`${c.type} works on the pilot's runs, not on a demo`)
      case "inspect": {
        const detail = this.flows.get(c.flow)
        if (detail === undefined)
          return { ok: false, code: "unknown-flow", message: `no traced flow "${c.flow}" kept` }
        return { ok: true, detail }
      }
    }
  }

  info(): RunInfo {
    return this.current.info
  }

  faults(): ReadonlyArray<CatalogueEntry> {
    return this.current.world.spec.catalogue.map((f) => ({ id: f.id, title: f.title }))
  }

  progress(): Progress {
    const p = this.runProgress()
    return {
      state: p.state,
      tUs: p.simulatedUs,
      events: p.events,
      eventsPerSecond: p.eventsPerSecond,
      speed: this.current.speed,
    }
  }

  digest(): string | null {
    return this.runProgress().state === "done" ? this.current.world.digest.hex() : null
  }

  onReplace(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  world(): DemoWorld {
    return this.current.world
  }

  finished(): Promise<RunProgress> {
    return this.current.done
  }

  async close(): Promise<void> {
    await this.replacing
    await Effect.runPromise(Fiber.interrupt(this.current.fiber))
    this.current.recorder?.close()
    this.records.close()
  }
}

export const makeDemoSession = (options: DemoSessionOptions = {}): DemoSession => new Demo(options)
