/**
 * The run behind `tsm-twin view` and `npm start` (sim/server/run-session.ts): the scenario picker
 * lists the library's pilot scenarios and the viewer demos; a pilot scenario runs live through
 * pilot-run-session.ts, a demo through the demo session (app/live/ and model/world/demo/), and either one
 * can replace the other, one replacement at a time. Records of whichever run is current go to one
 * broadcast sink; commands go to the current run's run control (DESIGN.md §2: run control only,
 * never a party).
 */
import { Effect } from "effect"
import { DEMO_SPECS } from "../../model/world/demo/demo-spec.ts"
import { PILOT_LAYERS, pilotParties } from "../../model/world/pilot/pilot-root.ts"
import { BroadcastSink } from "../../sim/recorder/broadcast-sink.ts"
import { runFileSink } from "../../sim/recorder/gzip-ndjson-sink.ts"
import type { CatalogueEntry, Command, Progress, RunInfo } from "../../sim/server/protocol.ts"
import type { CommandOutcome, RunSession } from "../../sim/server/run-session.ts"
import { type DemoSession, makeDemoSession } from "./demo-session.ts"
import { FlowStore } from "./flow-store.ts"
import { explainKpi } from "./kpi-explanation.ts"
import type { Injection } from "./live-pilot.ts"
import { type PilotFile, pilotFiles } from "./pilot-catalogue.ts"
import { type PilotRun, startPilotRun } from "./pilot-run-session.ts"
import { runToCondition } from "./run-to.ts"

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

/** A replacement asked for and not yet carried out, with everyone it will answer. */
interface Waiting {
  readonly id: string
  readonly seed: number | null
  readonly answers: ReadonlyArray<() => void>
}

class Session implements ViewerSession {
  readonly records = new BroadcastSink(8)
  readonly scenarios: ReadonlyArray<CatalogueEntry>
  private readonly flows = new FlowStore()
  private readonly listeners = new Set<() => void>()
  private readonly pilots: ReadonlyArray<PilotFile>
  private recordPath: string | null
  private speed: number | null
  private seed: number | null
  private current: Current
  /**
   * Replacements run one at a time: the current run is stopped and its loop has ended before the
   * next world is built, so there is never more than one run (DESIGN.md §2). Requests that arrive
   * while one is under way wait; of those waiting, only the newest is carried out and the others
   * are answered by it (a burst of restarts ends in the last one asked for, not in a queue of
   * worlds built only to be thrown away).
   */
  private replacing: Promise<void> | null = null
  private waiting: Waiting | null = null

  constructor(private readonly options: ViewerSessionOptions) {
    this.records.subscribe((r) => this.flows.add(r))
    const { pilots, entries } = viewerScenarios()
    this.pilots = pilots
    this.scenarios = entries
    this.recordPath = options.recordPath ?? null
    this.speed = options.speed
    this.seed = options.seed ?? null
    const first = this.launch(options.scenario, options.injections ?? [])
    if (first === null)
      throw new RangeError(
        `no scenario "${options.scenario}" (known: ${entries.map((e) => e.id).join(", ")})`,
      )
    this.current = first
  }

  private known(id: string): boolean {
    return this.pilots.some((p) => p.id === id) || DEMO_SPECS.some((s) => s.id === id)
  }

  private launch(id: string, injections: ReadonlyArray<Injection>): Current | null {
    const file = this.pilots.find((p) => p.id === id)
    const recorder = this.recordPath === null ? null : runFileSink(this.recordPath)
    if (file !== undefined) {
      this.recordPath = null
      const o = this.options
      // Each run's world is composed from the default layers (native crypto, the faithful parties).
      const { crypto, parties } = Effect.runSync(pilotParties.pipe(Effect.provide(PILOT_LAYERS)))
      const run = startPilotRun({
        path: file.path,
        seed: this.seed,
        scale: o.scale,
        untilDate: o.untilDate ?? null,
        speed: this.speed,
        crypto,
        parties,
        sinks: [this.records],
        recorder,
        // Only the viewer server reads these records, and only the newest of each per frame.
        latestRecords: "on-frame",
        injections,
        ...(o.onDay === undefined ? {} : { onDay: o.onDay }),
      })
      this.seed = run.info.seed
      return { kind: "pilot", run }
    }
    recorder?.close()
    if (!DEMO_SPECS.some((s) => s.id === id)) return null
    const demo = makeDemoSession({
      scenario: id,
      seed: this.seed ?? 1,
      speed: this.speed,
      recordPath: this.recordPath,
    })
    this.recordPath = null
    demo.records.subscribe((r) => this.records.write(r))
    return { kind: "demo", demo }
  }

  private async stop(c: Current): Promise<void> {
    if (c.kind === "pilot") {
      await c.run.live.stop()
      await c.run.done
    } else await c.demo.close()
  }

  private async replaceNow(id: string, newSeed: number | null): Promise<void> {
    const old = this.current
    await this.stop(old)
    this.flows.clear()
    if (newSeed !== null) this.seed = newSeed
    else if (old.kind === "pilot" && !this.pilots.some((p) => p.id === id)) this.seed = old.run.info.seed
    this.current = this.launch(id, [])!
    for (const l of this.listeners) l()
  }

  private async drain(): Promise<void> {
    while (this.waiting !== null) {
      const next = this.waiting
      this.waiting = null
      await this.replaceNow(next.id, next.seed)
      for (const answer of next.answers) answer()
    }
    this.replacing = null
  }

  private replace(id: string, newSeed: number | null): Promise<CommandOutcome> {
    if (!this.known(id)) return Promise.resolve(refuse("unknown-scenario", `no scenario "${id}"`))
    return new Promise<CommandOutcome>((answer) => {
      const answers = [...(this.waiting?.answers ?? []), () => answer({ ok: true })]
      this.waiting = { id, seed: newSeed, answers }
      this.replacing ??= this.drain()
    })
  }

  private pilotCommand(run: PilotRun, c: Command): CommandOutcome | Promise<CommandOutcome> {
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
        this.speed = c.factor
        d.setSpeed(c.factor)
        return { ok: true }
      case "inject": {
        const problem = d.inject(c.fault)
        if (problem === null) return { ok: true }
        return refuse(problem.startsWith("no fault") ? "unknown-fault" : "rejected", problem)
      }
      case "scenario":
        return this.replace(c.scenario, null)
      case "restart":
        return this.replace(run.info.scenario, c.seed)
      case "run-to": {
        const w = d.state.world
        const target = runToCondition(c, {
          nowUs: d.kernel.nowUs,
          endUs: d.endUs,
          faultWindows: () => w.faultWindows.length,
          tracedIssuances: () => run.tracer.finished,
        })
        if ("problem" in target) return refuse("rejected", target.problem)
        const problem = d.runTo(target.met)
        return problem === null ? { ok: true } : refuse("rejected", problem)
      }
      case "explain": {
        const paragraphs = explainKpi(d.state, run.info.scenario, run.info.seed, c.kpi)
        return paragraphs.length === 0
          ? refuse("rejected", `no phase targets for a KPI "${c.kpi}" in this run`)
          : { ok: true, paragraphs }
      }
      case "inspect": {
        const detail = this.flows.get(c.flow)
        return detail === undefined
          ? refuse("unknown-flow", `no traced flow "${c.flow}" kept`)
          : { ok: true, detail }
      }
    }
  }

  async command(c: Command): Promise<CommandOutcome> {
    const now = this.current
    if (now.kind === "pilot") return this.pilotCommand(now.run, c)
    if (c.type === "scenario" && !DEMO_SPECS.some((s) => s.id === c.scenario))
      return this.replace(c.scenario, null)
    if (c.type === "speed") this.speed = c.factor
    return now.demo.command(c)
  }

  progress(): Progress {
    if (this.current.kind === "demo") return this.current.demo.progress()
    const d = this.current.run.live
    return {
      state: d.status === "stopped" ? "done" : d.status,
      tUs: d.kernel.nowUs,
      events: d.kernel.eventsProcessed,
      eventsPerSecond: d.eventsPerSecond(),
      speed: d.getSpeed(),
    }
  }

  info(): RunInfo {
    return this.current.kind === "pilot" ? this.current.run.info : this.current.demo.info()
  }

  faults(): ReadonlyArray<CatalogueEntry> {
    return this.current.kind === "pilot" ? this.current.run.faults : this.current.demo.faults()
  }

  digest(): string | null {
    if (this.current.kind === "demo") return this.current.demo.digest()
    const live = this.current.run.live
    return live.status === "done" ? live.state.world.digest.hex() : null
  }

  beforeFrame(): void {
    if (this.current.kind === "pilot") this.current.run.beforeFrame()
  }

  onReplace(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  pilot(): PilotRun | null {
    return this.current.kind === "pilot" ? this.current.run : null
  }

  async finished(): Promise<void> {
    if (this.current.kind === "pilot") await this.current.run.done
    else await this.current.demo.finished()
  }

  async close(): Promise<void> {
    await this.replacing
    await this.stop(this.current)
    this.records.close()
  }
}

export const makeViewerSession = (options: ViewerSessionOptions): ViewerSession => new Session(options)
