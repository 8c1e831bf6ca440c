/**
 * Generator processes on callbacks (SimPy's Process): a process is a generator that yields what
 * it waits for — a number (a timeout in µs, with no event object allocated) or a SimEvent — and is
 * itself an event that succeeds with the generator's return value or fails with what it threw.
 *
 * Each wait gets a fresh token; a wake-up carrying an older token is ignored. That is how
 * `interrupt` abandons the current wait without unhooking it from the event: the process resumes
 * at the current instant with an `Interrupt` thrown at its `yield`. A resource request made before
 * the interrupt stays queued until the process withdraws it (`resource.withdraw(request)`), as in
 * SimPy.
 */

import { FIRE_WAITERS, SimEvent, type Waiter } from "./event.ts"
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

export class Process<R = unknown> extends SimEvent<R> implements Waiter {
  private token = 0
  private sendValue: unknown = undefined
  private sendError: unknown = undefined
  private throwing = false
  private timer: EventHandle | -1 = -1
  private finished = false

  constructor(
    kernel: Kernel,
    private readonly body: ProcessBody<R>,
  ) {
    super(kernel)
    kernel.schedule(0, kernel.fireHandler, 0, this, PRIORITY_NORMAL)
  }

  get alive(): boolean {
    return !this.finished
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
    if (tag !== this.token || this.finished) return
    if (event.ok) {
      this.sendValue = event.value
    } else {
      event.defused = true
      this.throwing = true
      this.sendError = event.error
    }
    this.resume()
  }

  /** Throws an Interrupt into the process at the current instant, ahead of ordinary events. */
  interrupt(cause: unknown): void {
    if (this.finished) throw new Error("cannot interrupt a finished process")
    if (this.timer !== -1) this.kernel.cancel(this.timer)
    this.timer = -1
    this.token++
    this.throwing = true
    this.sendError = new Interrupt(cause)
    this.kernel.schedule(0, this.kernel.fireHandler, this.token, this, PRIORITY_URGENT)
  }

  private resume(): void {
    let step: IteratorResult<Yieldable, R>
    try {
      if (this.throwing) {
        const error = this.sendError
        this.throwing = false
        this.sendError = undefined
        step = this.body.throw(error)
      } else {
        const value = this.sendValue
        this.sendValue = undefined
        step = this.body.next(value)
      }
    } catch (error) {
      this.finished = true
      this.fail(error)
      return
    }
    if (step.done === true) {
      this.finished = true
      this.succeedUnwatched(step.value)
      return
    }
    this.await(step.value)
  }

  private await(target: Yieldable): void {
    this.token++
    if (typeof target === "number") {
      this.timer = this.kernel.schedule(target, this.kernel.fireHandler, this.token, this, PRIORITY_NORMAL)
      return
    }
    if (!(target instanceof SimEvent)) throw new TypeError(`a process yielded ${String(target)}`)
    target.addWaiter(this, this.token)
  }
}

/** Starts a generator process at the current instant. */
export const spawn = <R>(kernel: Kernel, body: ProcessBody<R>): Process<R> => new Process(kernel, body)
