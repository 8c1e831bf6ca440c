/**
 * A sim Resource (servers + FIFO waiting line) with the bookkeeping the pilot reports: mean and
 * peak-interval utilisation from a time-weighted busy count, and refusals when the waiting line
 * is full. Used for the parties whose queues issuance flows really wait in as kernel events: the
 * 贵州通 TSM's order servers, its HSM pool and its OTA sessions.
 */
import type { Kernel } from "../../../sim/kernel/kernel.ts"
import { Resource } from "../../../sim/kernel/resource.ts"
import { TimeWeighted } from "../../../sim/recorder/time-weighted.ts"

/** Orders a party will hold in its waiting line before refusing (STYLE.md rule 3). */
export const WAITING_LINE_MAX = 1 << 22

export class HeldResource {
  readonly resource: Resource
  readonly busy: TimeWeighted
  readonly nominal: number
  refused = 0
  peakIntervalRatio = 0
  private intervalAreaStart = 0

  constructor(
    readonly kernel: Kernel,
    readonly name: string,
    capacity: number,
  ) {
    this.nominal = capacity
    this.busy = new TimeWeighted(`${name}.busy`, kernel.nowUs)
    this.resource = new Resource(kernel, { name, capacity, queueMax: WAITING_LINE_MAX, busyStat: this.busy })
  }

  private area(nowUs: number): number {
    return this.busy.mean(nowUs) * nowUs
  }

  /** Closes a sampling interval of `spanUs` ending now: its utilisation, which also updates the peak. */
  takeInterval(spanUs: number): number {
    const now = this.kernel.nowUs
    const area = this.area(now)
    const ratio = Math.min(1, (area - this.intervalAreaStart) / (this.nominal * spanUs))
    this.intervalAreaStart = area
    if (ratio > this.peakIntervalRatio) this.peakIntervalRatio = ratio
    return ratio
  }

  meanRatio(): number {
    const now = this.kernel.nowUs
    return now <= 0 ? 0 : Math.min(1, this.busy.mean(now) / this.nominal)
  }
}
