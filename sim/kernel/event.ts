/**
 * The one idea under processes, conditions and resources (SimPy's Event): something that happens
 * once, succeeds with a value or fails with an error, and then wakes its waiters. Triggering
 * schedules the wake-up through the kernel at the current instant, so waiters never run inside
 * the code that triggered them. A failure that no waiter receives stops the run.
 */
import { type Firable, type Kernel, PRIORITY_NORMAL } from "./kernel.ts"

/** Whoever waits on an event; `tag` lets a waiter ignore wake-ups it no longer wants. */
export interface Waiter {
  wake(event: SimEvent<unknown>, tag: number): void
}

/**
 * An event's state, packed into one number (a process allocates one event per customer, so each
 * field counts): the life-cycle stage in the low two bits, then whether it failed, whether a
 * waiter took the failure over, and one bit a subclass may use (a process: an error to throw).
 */
const PENDING = 0
const TRIGGERED = 1
const PROCESSED = 2
const STAGE = 3
const FAILED = 4
const DEFUSED = 8
export const SUBCLASS_FLAG = 16
/** The a0 with which a triggered event asks the kernel to run its waiters. */
export const FIRE_WAITERS = -1

export class SimEvent<T = unknown> implements Firable {
  protected flags = PENDING
  /** The value once succeeded, the error once failed. */
  private outcome: unknown = undefined
  /**
   * Most events have exactly one waiter (a process or a condition), so the first is held in
   * fields and only further ones go to arrays: one wait then allocates nothing but the event.
   */
  private waiter0: Waiter | null = null
  private tag0 = 0
  /** Further waiters and their tags, alternating: [waiter, tag, waiter, tag, …]. */
  private more: Array<Waiter | number> | null = null

  constructor(readonly kernel: Kernel) {}

  get ok(): boolean {
    return (this.flags & FAILED) === 0
  }

  get value(): T | undefined {
    return (this.flags & FAILED) === 0 ? (this.outcome as T | undefined) : undefined
  }

  get error(): unknown {
    return (this.flags & FAILED) === 0 ? undefined : this.outcome
  }

  /** Set by a waiter that takes responsibility for a failure (SimPy's `defused`). */
  get defused(): boolean {
    return (this.flags & DEFUSED) !== 0
  }

  set defused(taken: boolean) {
    this.flags = taken ? this.flags | DEFUSED : this.flags & ~DEFUSED
  }

  get triggered(): boolean {
    return (this.flags & STAGE) !== PENDING
  }

  get processed(): boolean {
    return (this.flags & STAGE) === PROCESSED
  }

  succeed(value: T, delayUs = 0): this {
    this.trigger(delayUs)
    this.outcome = value
    return this
  }

  fail(error: unknown, delayUs = 0): this {
    this.trigger(delayUs)
    this.flags |= FAILED
    this.outcome = error
    return this
  }

  /**
   * Succeeds at once, without a wake-up event, when nobody waits yet: the event is processed on
   * the spot. Most processes end with no waiter (a customer, a user session), and their wake-up
   * event would do nothing but cost a heap round trip. A process that yields the event later
   * goes on at once with its value (process.ts); another waiter is woken through `addWaiter`'s
   * late path, at the current instant, after the events already scheduled for it (SimPy would
   * wake it at the position of the unneeded event, which only differs when other events of the
   * same instant sit between the two). A resource's on-the-spot grant is processed this way too.
   * With waiters, this is `succeed`.
   */
  succeedUnwatched(value: T): void {
    if (this.waiter0 !== null || (this.flags & STAGE) !== PENDING) {
      this.succeed(value)
      return
    }
    this.flags = (this.flags & ~STAGE) | PROCESSED
    this.outcome = value
  }

  /**
   * Succeeds as a continuation of the current event (kernel.continueWith) instead of through a
   * wake-up event: the waiters run right after the code that triggered it returns to the kernel,
   * at the current instant, before any other event. A resource hands a released server to a
   * waiting process this way, inside the releasing event as the raw loop does (SimPy would run
   * the grant after the events already scheduled for this instant; the order is as deterministic).
   */
  succeedAfterCurrent(value: T): void {
    if ((this.flags & STAGE) !== PENDING) throw new Error("event triggered twice")
    this.flags = (this.flags & ~STAGE) | TRIGGERED
    this.outcome = value
    this.kernel.continueWith(this, FIRE_WAITERS)
  }

  /**
   * Adds a waiter; one added after processing is woken at the current instant. (A process does
   * not come here for a processed event: it takes the value at once, as SimPy's does.)
   */
  addWaiter(waiter: Waiter, tag: number): void {
    if ((this.flags & STAGE) === PROCESSED) {
      this.kernel.schedule(0, this.kernel.fireHandler, 0, new LateWake(this, waiter, tag))
      return
    }
    if (this.waiter0 === null) {
      this.waiter0 = waiter
      this.tag0 = tag
    } else if (this.more === null) {
      this.more = [waiter, tag]
    } else {
      this.more.push(waiter, tag)
    }
  }

  fire(_a0: number): void {
    this.flags = (this.flags & ~STAGE) | PROCESSED
    const waiter0 = this.waiter0
    const more = this.more
    this.waiter0 = null
    this.more = null
    if (waiter0 !== null) waiter0.wake(this as SimEvent<unknown>, this.tag0)
    if (more !== null) {
      for (let i = 0; i < more.length; i += 2) {
        ;(more[i] as Waiter).wake(this as SimEvent<unknown>, more[i + 1] as number)
      }
    }
    if ((this.flags & (FAILED | DEFUSED)) === FAILED) throw this.outcome
  }

  private trigger(delayUs: number): void {
    if ((this.flags & STAGE) !== PENDING) throw new Error("event triggered twice")
    this.flags = (this.flags & ~STAGE) | TRIGGERED
    this.kernel.schedule(delayUs, this.kernel.fireHandler, FIRE_WAITERS, this, PRIORITY_NORMAL)
  }
}

/** Delivers an already-processed event to a waiter that arrived late. */
class LateWake implements Firable {
  constructor(
    private readonly event: SimEvent<unknown>,
    private readonly waiter: Waiter,
    private readonly tag: number,
  ) {}

  fire(): void {
    this.waiter.wake(this.event, this.tag)
  }
}

/** An event that succeeds after `delayUs` (SimPy's Timeout). */
export const timeout = <T = undefined>(kernel: Kernel, delayUs: number, value?: T): SimEvent<T | undefined> =>
  new SimEvent<T | undefined>(kernel).succeed(value, delayUs)
