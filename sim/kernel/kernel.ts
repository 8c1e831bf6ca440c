/**
 * The event kernel: a clock, the pending-event heap, and a table of handlers (SimPy's core.py in
 * shape). An event is (time, priority, handler id, one number, one reference); nothing is
 * allocated per event, and dispatch is one indexed call, so the kernel runs close to the speed of
 * a hand-written loop (DESIGN.md §5). Everything above it — processes, resources, links — is built
 * from handlers.
 *
 * A handler that throws stops the run (SimPy: a failure nobody handles stops the simulation); the
 * error is rethrown with the simulated time and the handler's name attached.
 */
import { Continuations } from "./continuations.ts"
import { type EventHandle, EventHeap, PRIORITY_MAX, PRIORITY_MIN } from "./heap.ts"
import { US_MAX, type Us } from "./time.ts"

/** Handler ids carry the type of the reference they expect, so `schedule` is checked. */
export type HandlerId<R> = number & { readonly HandlerRef: (ref: R) => void }
export type Handler<R> = (a0: number, ref: R) => void

/** Observes every processed event, in order; the recorder's digest is one. */
export interface EventLog {
  record(timeUs: number, kind: number, a0: number): void
}

/** Anything the kernel can call back through the shared `fire` handler (events, processes). */
export interface Firable {
  fire(a0: number): void
}

/** Events at the same instant with a lower priority number run first. */
export const PRIORITY_URGENT = -1
export const PRIORITY_NORMAL = 0
/** The "handler" an error names when it was thrown by a continuation (continuations.ts). */
const CONTINUATION_KIND = -2

export interface KernelOptions {
  /** Pending events to allocate for up front; the heap doubles beyond it. */
  readonly capacity?: number
  /** Handlers the run may register; a bound so that a runaway registration loop fails fast. */
  readonly handlersMax?: number
}

export class Kernel {
  /** The current simulated time; read-only for everyone but the kernel. */
  nowUs: Us = 0 as Us
  /** Events processed since creation. */
  eventsProcessed = 0
  /** When set, every processed event is reported to it before its handler runs. */
  log: EventLog | null = null
  readonly heap: EventHeap
  private readonly handlers: Array<Handler<never>> = []
  private readonly names: string[] = []
  private readonly handlersMax: number
  private stopping = false
  private readonly continuations = new Continuations()
  /** The shared handler that calls `ref.fire(a0)`; events and processes are scheduled through it. */
  readonly fireHandler: HandlerId<Firable>

  constructor(options: KernelOptions = {}) {
    this.heap = new EventHeap(options.capacity ?? 1024)
    this.handlersMax = options.handlersMax ?? 65_536
    this.fireHandler = this.register<Firable>("kernel.fire", (a0, ref) => ref.fire(a0))
  }

  get now(): Us {
    return this.nowUs
  }

  /** Registers a handler once, at setup; the returned id is what events carry. */
  register<R>(name: string, handler: Handler<R>): HandlerId<R> {
    if (this.handlers.length >= this.handlersMax)
      throw new RangeError(`more than ${this.handlersMax} handlers`)
    this.handlers.push(handler as Handler<never>)
    this.names.push(name)
    return (this.handlers.length - 1) as HandlerId<R>
  }

  handlerName(id: number): string {
    if (id === CONTINUATION_KIND) return "kernel.continuation"
    return this.names[id] ?? `#${id}`
  }

  /** Schedules `handler(a0, ref)` after `delayUs` (a non-negative integer). */
  schedule<R>(
    delayUs: number,
    handler: HandlerId<R>,
    a0: number,
    ref: R,
    priority = PRIORITY_NORMAL,
  ): EventHandle {
    if (!(delayUs >= 0 && Number.isSafeInteger(delayUs))) throw new RangeError(`bad delay ${delayUs} µs`)
    return this.heap.push(this.nowUs + delayUs, priority, handler, a0, ref)
  }

  /** Schedules at an absolute instant, which must not lie in the past. */
  at<R>(timeUs: number, handler: HandlerId<R>, a0: number, ref: R, priority = PRIORITY_NORMAL): EventHandle {
    if (!(timeUs >= this.nowUs && Number.isSafeInteger(timeUs))) throw new RangeError(`bad time ${timeUs} µs`)
    return this.heap.push(timeUs, priority, handler, a0, ref)
  }

  /**
   * Calls a handler now, inside the current event, without a heap round trip. Resources use it to
   * hand a server to the next waiter as part of the release, as a hand-written loop would.
   */
  invoke<R>(handler: HandlerId<R>, a0: number, ref: R): void {
    ;(this.handlers[handler] as Handler<R>)(a0, ref)
  }

  /**
   * Calls `ref.fire(a0)` at the current instant, right after the event being processed (called
   * between runs: first thing in the next run), before any other event — a continuation of the
   * current event, not an event of its own: no heap round trip, nothing in the event log (its cause
   * is there). Continuations run in the order they were asked for (continuations.ts).
   */
  continueWith(ref: Firable, a0: number): void {
    this.continuations.push(ref, a0)
  }

  cancel(handle: EventHandle): boolean {
    return this.heap.cancel(handle)
  }

  /** Time of the next event (now, if continuations are pending), or -1 when nothing is pending. */
  peek(): number {
    return this.continuations.size > 0 ? this.nowUs : this.heap.peekTime()
  }

  /** Pending events and continuations. */
  get pending(): number {
    return this.heap.size + this.continuations.size
  }

  /** Asks a running `run` to return after the event being processed. */
  stop(): void {
    this.stopping = true
  }

  /**
   * Processes exactly one event with its continuations (and, first, continuations left by code
   * that ran between runs); false when nothing was pending.
   */
  step(): boolean {
    const continued = this.continuations.size > 0
    return this.runEvents(US_MAX + 1, 1) === 1 || continued
  }

  /**
   * Processes every event strictly before `untilUs` (SimPy's `run(until)`), then leaves the clock
   * at `untilUs` unless `stop()` was called. Returns the number of events processed.
   */
  run(untilUs: number = US_MAX + 1, eventsMax = Number.POSITIVE_INFINITY): number {
    if (untilUs < this.nowUs)
      throw new RangeError(`run until ${untilUs} µs is in the past (now ${this.nowUs})`)
    this.stopping = false
    const count = this.runEvents(untilUs, eventsMax)
    if (!this.stopping && count < eventsMax && untilUs <= US_MAX) this.nowUs = untilUs as Us
    return count
  }

  private runEvents(untilUs: number, eventsMax: number): number {
    const heap = this.heap
    const handlers = this.handlers
    const continuations = this.continuations
    let count = 0
    let kind = CONTINUATION_KIND
    try {
      if (continuations.size > 0 && this.nowUs < untilUs) continuations.runAll()
      while (count < eventsMax) {
        const slot = heap.popBefore(untilUs)
        if (slot < 0) break
        const t = heap.lastTimeUs
        kind = heap.handler[slot]!
        const a0 = heap.a0[slot]!
        const ref = heap.ref[slot] as never
        heap.release(slot)
        this.nowUs = t as Us
        if (this.log !== null) this.log.record(t, kind, a0)
        handlers[kind]!(a0, ref)
        if (continuations.size > 0) {
          kind = CONTINUATION_KIND
          continuations.runAll()
        }
        count++
        if (this.stopping) break
      }
    } catch (error) {
      this.eventsProcessed += count
      throw new Error(`at=${this.nowUs}µs handler=${this.handlerName(kind)}: ${String(error)}`, {
        cause: error,
      })
    }
    this.eventsProcessed += count
    return count
  }
}

export { PRIORITY_MAX, PRIORITY_MIN }
