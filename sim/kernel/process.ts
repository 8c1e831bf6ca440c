/**
 * Generator processes on callbacks (SimPy's Process): a process is a generator that yields what
 * it waits for — a number (a timeout in µs, with no event object allocated) or a SimEvent — and is
 * itself an event that succeeds with the generator's return value or fails with what it threw.
 *
 * A process starts as a continuation of the event that spawned it (kernel.continueWith): right
 * after that event, at the same instant, before any other event — SimPy starts it with an urgent
 * event, which runs at the same point unless other urgent events are pending. Yielding an event
 * that is already processed continues at once with its value, as SimPy's `_resume` loop does; a
 * resource request granted on the spot is such an event (resource.ts). So an M/M/c customer costs
 * two events, its arrival and its departure, like a hand-written loop.
 *
 * Each wait gets a fresh token; a wake-up carrying an older token is ignored. That is how
 * `interrupt` abandons the current wait without unhooking it from the event: the process resumes
 * at the current instant with an `Interrupt` thrown at its `yield`. A resource request made before
 * the interrupt stays queued until the process withdraws it (`resource.withdraw(request)`), as in
 * SimPy.
 */

import { FIRE_WAITERS, SimEvent, SUBCLASS_FLAG, type Waiter } from "./event.ts"
import type { EventHandle } from "./heap.ts"
import { type Kernel, PRIORITY_NORMAL, PRIORITY_URGENT } from "./kernel.ts"

export type Yieldable = number | SimEvent<unknown>
export type ProcessBody<R> = Generator<Yieldable, R, unknown>

/** Thrown into a process at its current `yield` by `interrupt(cause)`. */
export class Interrupt extends Error {
  constructor(readonly interruptCause: unknown) {
    super(`interrupted: ${String(interruptCause)}`)
    this.name = "Interrupt"
  }
}

/** In the event's flags: the next resume throws `sendValue` into the body. */
const THROWING = SUBCLASS_FLAG

export class Process<R = unknown> extends SimEvent<R> implements Waiter {
  private token = 0
  /** What the body gets at its next resume: a value, or an error to throw when THROWING is set. */
  private sendValue: unknown = undefined
  private timer: EventHandle | -1 = -1

  constructor(
    kernel: Kernel,
    private readonly body: ProcessBody<R>,
  ) {
    super(kernel)
    kernel.continueWith(this, this.token)
  }

  /** A process's own event is triggered exactly when its body has ended. */
  get alive(): boolean {
    return !this.triggered
  }

  /** The kernel calls this with the wait's token to resume, or with FIRE_WAITERS once done. */
  override fire(a0: number): void {
    if (a0 === FIRE_WAITERS) {
      super.fire(a0)
      return
    }
    if (a0 !== this.token) return
    this.timer = -1
    this.resume()
  }

  wake(event: SimEvent<unknown>, tag: number): void {
    if (tag !== this.token || this.triggered) return
    this.takeOutcome(event)
    this.resume()
  }

  /** Throws an Interrupt into the process at the current instant, ahead of ordinary events. */
  interrupt(cause: unknown): void {
    if (this.triggered) throw new Error("cannot interrupt a finished process")
    if (this.timer !== -1) this.kernel.cancel(this.timer)
    this.timer = -1
    this.token++
    this.flags |= THROWING
    this.sendValue = new Interrupt(cause)
    this.kernel.schedule(0, this.kernel.fireHandler, this.token, this, PRIORITY_URGENT)
  }

  /** Runs the body to its next wait (or its end); processed events it yields do not stop it. */
  private resume(): void {
    for (;;) {
      let step: IteratorResult<Yieldable, R>
      const sent = this.sendValue
      this.sendValue = undefined
      try {
        if ((this.flags & THROWING) !== 0) {
          this.flags &= ~THROWING
          step = this.body.throw(sent)
        } else {
          step = this.body.next(sent)
        }
      } catch (error) {
        this.fail(error)
        return
      }
      if (step.done === true) {
        this.succeedUnwatched(step.value)
        return
      }
      if (this.await(step.value)) return
    }
  }

  /**
   * Starts the wait for `target`; false when there is nothing to wait for (a processed event),
   * with the event's outcome set up to be sent into the body at once.
   */
  private await(target: Yieldable): boolean {
    this.token++
    if (typeof target === "number") {
      this.timer = this.kernel.schedule(target, this.kernel.fireHandler, this.token, this, PRIORITY_NORMAL)
      return true
    }
    if (!(target instanceof SimEvent)) throw new TypeError(`a process yielded ${String(target)}`)
    if (!target.processed) {
      target.addWaiter(this, this.token)
      return true
    }
    this.takeOutcome(target)
    return false
  }

  /** Sets up the event's value (or its failure, which this process now handles) for the body. */
  private takeOutcome(event: SimEvent<unknown>): void {
    if (event.ok) {
      this.sendValue = event.value
    } else {
      event.defused = true
      this.flags |= THROWING
      this.sendValue = event.error
    }
  }
}

/** Starts a generator process at the current instant. */
export const spawn = <R>(kernel: Kernel, body: ProcessBody<R>): Process<R> => new Process(kernel, body)
