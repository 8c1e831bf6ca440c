/**
 * Waiting for several events at once (SimPy's AllOf / AnyOf). `allOf` succeeds with every value
 * in the given order once all have succeeded; `anyOf` succeeds with the index and value of the
 * first to succeed. Either fails as soon as one of its events fails, taking over that failure.
 */
import { SimEvent, type Waiter } from "./event.ts"
import type { Kernel } from "./kernel.ts"

export interface First<T> {
  readonly index: number
  readonly value: T
}

class AllOf<T> extends SimEvent<T[]> implements Waiter {
  private remaining: number
  private readonly values: T[]

  constructor(kernel: Kernel, events: ReadonlyArray<SimEvent<T>>) {
    super(kernel)
    this.remaining = events.length
    this.values = new Array<T>(events.length)
    if (events.length === 0) this.succeed([])
    events.forEach((event, i) => {
      event.addWaiter(this as Waiter, i)
    })
  }

  wake(event: SimEvent<unknown>, tag: number): void {
    if (this.triggered) return
    if (!event.ok) {
      event.defused = true
      this.fail(event.error)
      return
    }
    this.values[tag] = event.value as T
    if (--this.remaining === 0) this.succeed(this.values)
  }
}

class AnyOf<T> extends SimEvent<First<T>> implements Waiter {
  constructor(kernel: Kernel, events: ReadonlyArray<SimEvent<T>>) {
    super(kernel)
    if (events.length === 0) throw new RangeError("anyOf needs at least one event")
    events.forEach((event, i) => {
      event.addWaiter(this as Waiter, i)
    })
  }

  wake(event: SimEvent<unknown>, tag: number): void {
    if (this.triggered) {
      if (!event.ok) event.defused = true
      return
    }
    if (!event.ok) {
      event.defused = true
      this.fail(event.error)
      return
    }
    this.succeed({ index: tag, value: event.value as T })
  }
}

export const allOf = <T>(kernel: Kernel, events: ReadonlyArray<SimEvent<T>>): SimEvent<T[]> =>
  new AllOf(kernel, events)

export const anyOf = <T>(kernel: Kernel, events: ReadonlyArray<SimEvent<T>>): SimEvent<First<T>> =>
  new AnyOf(kernel, events)
