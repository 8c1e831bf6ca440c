/**
 * Drives one pilot run for live viewing: the same world and the same day loop as the headless
 * runPilot (model/world/pilot/pilot-run.ts), cut into bounded chunks between which the event loop
 * serves the viewer, paced to a real-time factor or as fast as possible, pausable and steppable
 * (DESIGN.md §2: commands reach run control, never a party). Every `sampleEveryUs` of simulated
 * time is a boundary: the viewer's signals are sampled there, day ends take the daily rows, and
 * injected faults take effect there — at a simulated instant and event count fixed by the run, not
 * by wall time, so a run with injections is reproduced by replaying them at the same boundaries.
 * The kernel sees exactly the events it sees headless (nothing is scheduled or drawn here), so
 * without injections the digest equals the headless run's.
 */
import { performance } from "node:perf_hooks"
import type { Crypto } from "../../model/crypto/crypto.ts"
import type { PopulationParams } from "../../model/population/population-params.ts"
import {
  appsBy,
  checkInvariants,
  type PilotRunState,
  sampleDay,
  startPilot,
} from "../../model/world/pilot/pilot-run.ts"
import type { PilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import type { Fault } from "../../sim/faults/fault-plan.ts"
import { injectFault } from "./pilot-injection.ts"

export type DriverState = "running" | "paused" | "done" | "stopped"

/** A fault injected from the viewer, as the run file records it: which, and at which boundary. */
export interface Injection {
  readonly atUs: number
  readonly fault: string
}

export interface DriverOptions {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly crypto: Crypto
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

const FRAME_MS = 20
/** Wall milliseconds of simulation between visits to the event loop (ws frames, commands). */
const SLICE_MS = 15

export class PilotDriver {
  readonly state: PilotRunState
  readonly endUs: number
  status: DriverState = "running"
  private speed: number | null
  private anchorWallMs = 0
  private anchorSimUs = 0
  private segmentStartMs = 0
  private segmentEvents = 0
  private nextBoundaryUs: number
  private readonly launchDays: ReadonlyArray<number>
  private readonly queued: Injection[]
  private readonly live: string[] = []
  readonly injected: Injection[] = []

  constructor(private readonly o: DriverOptions) {
    if (!(o.sampleEveryUs > 0 && US_PER_DAY % o.sampleEveryUs === 0))
      throw new RangeError(`sampleEveryUs ${o.sampleEveryUs} must divide a day`)
    const { state, days, launchDays } = startPilot(o)
    this.launchDays = launchDays
    this.state = state
    this.endUs = days * US_PER_DAY
    this.nextBoundaryUs = 0
    this.speed = o.speed
    this.queued = [...(o.injections ?? [])].sort((a, b) => a.atUs - b.atUs)
  }

  get kernel() {
    return this.state.world.kernel
  }

  /** Runs to the end (or until stopped); resolves when done. */
  async run(): Promise<void> {
    this.reanchor()
    this.segmentStartMs = performance.now()
    while (this.status !== "done" && this.status !== "stopped") {
      if (this.status === "paused") {
        await sleep(FRAME_MS)
        continue
      }
      const ahead = this.slice(this.o.chunkEvents ?? 50_000)
      await (ahead ? sleep(FRAME_MS) : yieldToLoop())
    }
  }

  /**
   * Chunks until `eventsMax` events or SLICE_MS of wall time, whichever first, so the event loop
   * is visited a few dozen times a second rather than at every boundary (a boundary is often only
   * a few hundred events at small scales); true when the run is ahead of the pace.
   */
  private slice(eventsMax: number): boolean {
    const k = this.kernel
    const t0 = performance.now()
    const first = k.eventsProcessed
    for (;;) {
      const ahead = this.advance(eventsMax - (k.eventsProcessed - first))
      if (ahead || this.status !== "running") return ahead
      if (k.eventsProcessed - first >= eventsMax || performance.now() - t0 > SLICE_MS) return false
    }
  }

  /** One chunk: to the pace or the next boundary; true when it is ahead of the pace. */
  private advance(eventsMax: number): boolean {
    const k = this.kernel
    let target = this.nextBoundaryUs
    if (this.speed !== null) {
      const paceUs =
        this.anchorSimUs + Math.floor((performance.now() - this.anchorWallMs) * 1000 * this.speed)
      target = Math.min(target, Math.max(k.nowUs, paceUs))
    }
    if (target > k.nowUs || target === this.nextBoundaryUs) this.segmentEvents += k.run(target, eventsMax)
    if (k.nowUs >= this.nextBoundaryUs) {
      this.boundary()
      return false
    }
    return this.speed !== null && target < this.nextBoundaryUs
  }

  private boundary(): void {
    const now = this.kernel.nowUs
    if (now > 0 && now % US_PER_DAY === 0) {
      const day = now / US_PER_DAY
      sampleDay(this.state, day, appsBy(this.launchDays, day - 1))
      this.o.onDay?.(day, this.state.days, this.state)
    }
    this.applyInjections(now)
    this.o.onBoundary?.(this.state)
    if (now >= this.endUs) {
      checkInvariants(this.state)
      this.status = "done"
      return
    }
    this.nextBoundaryUs = Math.min(this.endUs, now + this.o.sampleEveryUs)
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
    if (this.status === "done" || this.status === "stopped") return "the run is over"
    if (this.o.faultOf(id, 0) === null) return `no fault "${id}" in this scenario's catalogue`
    if (this.injected.length + this.live.length >= 64) return "at most 64 injections per run"
    this.live.push(id)
    return null
  }

  pause(): void {
    if (this.status === "running") this.status = "paused"
  }

  resume(): void {
    if (this.status === "paused") {
      this.reanchor()
      this.status = "running"
    }
  }

  setSpeed(speed: number | null): void {
    this.speed = speed
    this.reanchor()
  }

  getSpeed(): number | null {
    return this.speed
  }

  /** Runs up to `events` events of a paused run, stopping at the next boundary (and taking it). */
  step(events: number): number {
    const before = this.kernel.eventsProcessed
    let left = events
    while (left > 0 && this.status === "paused") {
      const ran = this.kernel.run(this.nextBoundaryUs, left)
      left -= ran
      if (this.kernel.nowUs >= this.nextBoundaryUs) this.boundary()
      if (ran === 0 && this.kernel.nowUs < this.nextBoundaryUs) break
    }
    return this.kernel.eventsProcessed - before
  }

  stop(): void {
    if (this.status !== "done") this.status = "stopped"
  }

  eventsPerSecond(): number {
    const seconds = (performance.now() - this.segmentStartMs) / 1000
    return seconds > 0 ? this.segmentEvents / seconds : 0
  }

  private reanchor(): void {
    this.anchorWallMs = performance.now()
    this.anchorSimUs = this.kernel.nowUs
  }
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))
const yieldToLoop = () => new Promise<void>((done) => setImmediate(done))
