/**
 * One pilot run for live viewing, paced by sim/run's RunControl (the one run control, DESIGN.md
 * §2): the same world and the same boundary work as the headless run (pilotBoundary in
 * model/world/pilot/pilot-run.ts), with a boundary every `sampleEveryUs` of simulated time where
 * the viewer's signals are sampled, day ends take the daily rows and injected faults take effect —
 * at a simulated instant and event count fixed by the run, not by wall time, so a run with
 * injections is reproduced by replaying them at the same boundaries. The kernel sees exactly the
 * events it sees headless (nothing is scheduled or drawn here), so without injections the digest
 * equals the headless run's. This class only holds the handle the viewer session commands:
 * pause, resume, step and speed go to RunControl; stop interrupts the run's fiber.
 */
import { Effect, Fiber } from "effect"
import type { Crypto } from "../../model/crypto/crypto.ts"
import type { PopulationParams } from "../../model/population/population-params.ts"
import type { PilotParties } from "../../model/world/pilot/pilot-party-layers.ts"
import { type PilotRunState, pilotBoundary, startPilot } from "../../model/world/pilot/pilot-run.ts"
import type { PilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import type { Fault } from "../../sim/faults/fault-plan.ts"
import { makeRunControl, type Progress, type RunControlShape } from "../../sim/run/run-control.ts"
import { injectFault } from "./pilot-injection.ts"

export type LiveState = "running" | "paused" | "done" | "stopped"

/** A fault injected from the viewer, as the run file records it: which, and at which boundary. */
export interface Injection {
  readonly atUs: number
  readonly fault: string
}

export interface LivePilotOptions {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly crypto: Crypto
  /** The parties' decisions, resolved from their layers (model/world/pilot/pilot-root.ts). */
  readonly parties: PilotParties
  readonly untilDate?: string
  /** Simulated µs between boundaries (samples, injections); must divide a day. */
  readonly sampleEveryUs: number
  /** Events per chunk between yields to the event loop. */
  readonly chunkEvents?: number
  /** Simulated seconds per wall second; null = as fast as possible. */
  readonly speed: number | null
  /** Injections to apply at their boundaries (a replay of a recorded run). */
  readonly injections?: ReadonlyArray<Injection>
  /** Resolves a catalogue id to its fault at a start instant; null when unknown. */
  readonly faultOf: (id: string, startUs: number) => Fault | null
  readonly onBoundary?: (state: PilotRunState) => void
  readonly onDay?: (day: number, days: number, state: PilotRunState) => void
  readonly onInjected?: (injection: Injection) => void
}

/** Wall milliseconds of simulation between visits to the event loop (ws frames, commands). */
const SLICE_MS = 15
const FRAME_MS = 20
/** Injections per run at most (a bound on the run file and on the fault windows). */
const INJECTIONS_MAX = 64

/** Live pilot runs whose loop has not ended yet, process-wide: run replacement must keep this at one. */
let loopsRunning = 0
export const livePilotLoopsRunning = (): number => loopsRunning

export class LivePilot {
  readonly state: PilotRunState
  readonly endUs: number
  readonly injected: Injection[] = []
  private readonly rc: RunControlShape
  private readonly queued: Injection[]
  private readonly live: string[] = []
  private fiber: Fiber.Fiber<Progress> | null = null
  /** A run-to target in force: met at a boundary, the run pauses there (run-to.ts). */
  private runToMet: ((atUs: number) => boolean) | null = null
  private stopped = false

  constructor(private readonly o: LivePilotOptions) {
    if (!(o.sampleEveryUs > 0 && US_PER_DAY % o.sampleEveryUs === 0))
      throw new RangeError(`sampleEveryUs ${o.sampleEveryUs} must divide a day`)
    const start = startPilot(o)
    this.state = start.state
    this.endUs = start.days * US_PER_DAY
    this.queued = [...(o.injections ?? [])].sort((a, b) => a.atUs - b.atUs)
    const onBoundary = pilotBoundary(start, {
      ...(o.onDay === undefined ? {} : { onDay: o.onDay }),
      onBoundary: (atUs, state) => {
        this.applyInjections(atUs)
        o.onBoundary?.(state)
        this.checkRunTo(atUs)
      },
    })
    this.rc = Effect.runSync(
      makeRunControl(this.kernel, {
        chunkEvents: o.chunkEvents ?? 50_000,
        sliceMs: SLICE_MS,
        frameMs: FRAME_MS,
        untilUs: this.endUs,
        boundaryEveryUs: o.sampleEveryUs,
        onBoundary,
      }),
    )
    Effect.runSync(this.rc.setSpeed(o.speed))
  }

  get kernel() {
    return this.state.world.kernel
  }

  /** Runs to the end (or until stopped); resolves when the run's loop has ended. */
  run(): Promise<void> {
    if (this.fiber !== null) throw new Error("a live pilot runs once")
    loopsRunning++
    const fiber = Effect.runFork(this.rc.start(this.endUs))
    this.fiber = fiber
    return Effect.runPromise(Fiber.await(fiber)).then(() => {
      loopsRunning--
    })
  }

  get status(): LiveState {
    if (this.stopped) return "stopped"
    const state = Effect.runSync(this.rc.progress).state
    return state === "idle" ? "running" : state
  }

  private applyInjections(now: number): void {
    const due: string[] = []
    while (this.queued.length > 0 && this.queued[0]!.atUs <= now) due.push(this.queued.shift()!.fault)
    due.push(...this.live.splice(0))
    for (const id of due) {
      const fault = this.o.faultOf(id, now)
      if (fault === null) continue
      injectFault(this.state.world, fault)
      const injection = { atUs: now, fault: id }
      this.injected.push(injection)
      this.o.onInjected?.(injection)
    }
  }

  /** Queues a catalogue fault for the next boundary; a problem, or null. */
  inject(id: string): string | null {
    const status = this.status
    if (status === "done" || status === "stopped") return "the run is over"
    if (this.o.faultOf(id, 0) === null) return `no fault "${id}" in this scenario's catalogue`
    if (this.injected.length + this.live.length >= INJECTIONS_MAX)
      return `at most ${INJECTIONS_MAX} injections per run`
    this.live.push(id)
    return null
  }

  /**
   * Runs on until `met` holds at a boundary, and pauses there; replaces any earlier target. A
   * paused run resumes. The target is checked after the boundary's samples and injections, so
   * the screen the run pauses on shows what met it.
   */
  runTo(met: (atUs: number) => boolean): string | null {
    const status = this.status
    if (status === "done" || status === "stopped") return "the run is over"
    this.runToMet = met
    if (status === "paused") this.resume()
    return null
  }

  private checkRunTo(atUs: number): void {
    if (this.runToMet === null || !this.runToMet(atUs)) return
    this.runToMet = null
    this.pause()
  }

  pause(): void {
    Effect.runSync(this.rc.pause)
  }

  resume(): void {
    Effect.runSync(this.rc.resume)
  }

  setSpeed(speed: number | null): void {
    Effect.runSync(this.rc.setSpeed(speed))
  }

  getSpeed(): number | null {
    return Effect.runSync(this.rc.speed)
  }

  /** Runs up to `events` events of a paused run, stopping at the next boundary (and taking it). */
  step(events: number): number {
    return this.status === "paused" ? Effect.runSync(this.rc.step(events)) : 0
  }

  /** Stops the run between two chunks; resolves when its loop has ended. */
  async stop(): Promise<void> {
    if (this.status === "done") return
    this.stopped = true
    if (this.fiber !== null) await Effect.runPromise(Fiber.interrupt(this.fiber))
  }

  eventsPerSecond(): number {
    return Effect.runSync(this.rc.progress).eventsPerSecond
  }
}
