/**
 * A bounded store (SimPy's Store): a FIFO buffer of items with at most `capacity` entries.
 * `put` waits while the store is full, `get` waits while it is empty; waiting putters and getters
 * are served in arrival order. The bound is part of the model (STYLE.md rule 3): a full store
 * pushes back on its producers instead of growing.
 */
import { SimEvent } from "./event.ts"
import type { Kernel } from "./kernel.ts"

export interface StoreOptions {
  /** Names the store in errors. */
  readonly name: string
  /** Items the store holds at most; a positive integer. */
  readonly capacity: number
}

interface PendingPut<T> {
  readonly item: T
  readonly done: SimEvent<undefined>
}

export class Store<T> {
  private readonly items: T[] = []
  private readonly putters: Array<PendingPut<T>> = []
  private readonly getters: Array<SimEvent<T>> = []
  readonly capacity: number

  constructor(
    readonly kernel: Kernel,
    readonly options: StoreOptions,
  ) {
    if (!(Number.isSafeInteger(options.capacity) && options.capacity >= 1)) {
      throw new RangeError(`${options.name}: capacity ${options.capacity}`)
    }
    this.capacity = options.capacity
  }

  get size(): number {
    return this.items.length
  }

  /** An event that succeeds once the item is in the store (or handed to a waiting getter). */
  put(item: T): SimEvent<undefined> {
    const done = new SimEvent<undefined>(this.kernel)
    if (this.tryPut(item)) done.succeed(undefined)
    else this.putters.push({ item, done })
    return done
  }

  /** An event that succeeds with the oldest item once there is one. */
  get(): SimEvent<T> {
    const done = new SimEvent<T>(this.kernel)
    if (this.items.length > 0) {
      done.succeed(this.items.shift()!)
      this.admitPutters()
    } else {
      this.getters.push(done)
    }
    return done
  }

  /** Stores the item now if there is room; never waits. */
  tryPut(item: T): boolean {
    const getter = this.getters.shift()
    if (getter !== undefined) {
      getter.succeed(item)
      return true
    }
    if (this.items.length >= this.capacity) return false
    this.items.push(item)
    return true
  }

  private admitPutters(): void {
    while (this.putters.length > 0 && this.items.length < this.capacity) {
      const next = this.putters.shift()!
      this.items.push(next.item)
      next.done.succeed(undefined)
    }
  }
}
