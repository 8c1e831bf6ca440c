/**
 * A one-way link between two named nodes carrying messages of one type (DESIGN.md §4: messages
 * between institutions travel over links). Per message it draws a latency, and may lose,
 * duplicate or reorder it; it holds at most `inFlightMax` messages; it delivers nothing while it
 * is out (scheduled outage windows, fault-driven outages) or while a partition separates its ends.
 *
 * Without reordering a link is FIFO: a message never arrives before one sent earlier (its arrival
 * is pushed back to the previous arrival), as on a TCP connection. A reordered message skips that
 * rule and gets an extra delay, so it can overtake or be overtaken. Every outcome is a value
 * (`SendOutcome`), never an exception: a dropped message is an operating outcome.
 */
import type { HandlerId, Kernel } from "../kernel/kernel.ts"
import type { Stream } from "../rng/stream.ts"
import type { Partitions } from "./partitions.ts"

export interface Ratio {
  readonly numerator: number
  readonly denominator: number
}

export interface OutageWindow {
  readonly startUs: number
  readonly endUs: number
}

export interface LinkOptions {
  readonly name: string
  readonly from: string
  readonly to: string
  /** Draws one message's latency in µs (a distribution bound to its parameters). */
  readonly latencyUs: (s: Stream) => number
  /** Messages in flight at most; beyond it `send` answers "full". */
  readonly inFlightMax: number
  readonly loss?: Ratio
  readonly duplication?: Ratio
  readonly reorder?: Ratio
  /** Extra delay of a reordered message, uniform in [0, reorderDelayUsMax]. */
  readonly reorderDelayUsMax?: number
  /** Scheduled outages, [startUs, endUs). */
  readonly outages?: ReadonlyArray<OutageWindow>
}

export type SendOutcome = "sent" | "lost" | "out" | "partitioned" | "full"

export interface LinkCounts {
  sent: number
  delivered: number
  lost: number
  duplicated: number
  droppedOut: number
  droppedFull: number
}

const NEVER: Ratio = { numerator: 0, denominator: 1 }

export class Link<M> {
  readonly counts: LinkCounts = {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    droppedOut: 0,
    droppedFull: 0,
  }
  private inFlight = 0
  private lastArrivalUs = 0
  private downCount = 0
  /** Latency multiplier in permille set by degradation faults (1000 = nominal). */
  latencyPermille = 1000
  /** Extra loss set by degradation faults, added to the configured loss. */
  extraLoss: Ratio = NEVER
  private readonly arrive: HandlerId<M>

  constructor(
    readonly kernel: Kernel,
    private readonly stream: Stream,
    readonly options: LinkOptions,
    private readonly deliver: (message: M) => void,
    private readonly partitions: Partitions | null = null,
  ) {
    if (!(Number.isSafeInteger(options.inFlightMax) && options.inFlightMax >= 1)) {
      throw new RangeError(`${options.name}: inFlightMax ${options.inFlightMax}`)
    }
    this.arrive = kernel.register<M>(`link.arrive:${options.name}`, (_a0, message) => this.onArrive(message))
  }

  /** Whether the link delivers nothing at `nowUs` (an outage window or a fault). */
  isOut(nowUs: number): boolean {
    if (this.downCount > 0) return true
    for (const w of this.options.outages ?? []) if (nowUs >= w.startUs && nowUs < w.endUs) return true
    return false
  }

  /** Fault hooks: outages nest, so overlapping faults end only when the last one does. */
  setDown(down: boolean): void {
    this.downCount += down ? 1 : -1
    if (this.downCount < 0) throw new Error(`${this.options.name}: more outage ends than starts`)
  }

  send(message: M): SendOutcome {
    const now = this.kernel.nowUs
    if (this.isOut(now)) return this.drop("out")
    if (this.partitions?.isCut(this.options.from, this.options.to, now) === true)
      return this.drop("partitioned")
    if (this.inFlight >= this.options.inFlightMax) {
      this.counts.droppedFull++
      return "full"
    }
    this.counts.sent++
    const s = this.stream
    if (this.lost()) {
      this.counts.lost++
      return "lost"
    }
    this.dispatch(message)
    const dup = this.options.duplication ?? NEVER
    if (s.chance(dup.numerator, dup.denominator) && this.inFlight < this.options.inFlightMax) {
      this.counts.duplicated++
      this.dispatch(message)
    }
    return "sent"
  }

  private lost(): boolean {
    const loss = this.options.loss ?? NEVER
    const s = this.stream
    return (
      s.chance(loss.numerator, loss.denominator) ||
      s.chance(this.extraLoss.numerator, this.extraLoss.denominator)
    )
  }

  private dispatch(message: M): void {
    const s = this.stream
    const now = this.kernel.nowUs
    const latency = Math.round((this.options.latencyUs(s) * this.latencyPermille) / 1000)
    const reorder = this.options.reorder ?? NEVER
    let arrivalUs = now + Math.max(0, latency)
    if (s.chance(reorder.numerator, reorder.denominator)) {
      arrivalUs += s.below((this.options.reorderDelayUsMax ?? 0) + 1)
    } else {
      arrivalUs = Math.max(arrivalUs, this.lastArrivalUs)
      this.lastArrivalUs = arrivalUs
    }
    this.inFlight++
    this.kernel.at(arrivalUs, this.arrive, 0, message)
  }

  private onArrive(message: M): void {
    this.inFlight--
    const now = this.kernel.nowUs
    if (this.isOut(now) || this.partitions?.isCut(this.options.from, this.options.to, now) === true) {
      this.counts.droppedOut++
      return
    }
    this.counts.delivered++
    this.deliver(message)
  }

  private drop(outcome: "out" | "partitioned"): SendOutcome {
    this.counts.droppedOut++
    return outcome
  }
}
