/**
 * Fixed-interval time series: every `intervalUs` of simulated time, each probe is read and one
 * record `{ tUs, series, ...values }` goes to the sink. Sampling is a kernel event, so it is part
 * of the run and of its digest; it stops at `endUs` so that it never keeps a run alive alone.
 */
import type { Kernel } from "../kernel/kernel.ts"
import type { Sink } from "./sink.ts"

export interface TimeSeriesOptions {
  readonly name: string
  readonly intervalUs: number
  readonly endUs: number
  readonly probes: Readonly<Record<string, (nowUs: number) => number>>
}

export class TimeSeries {
  private readonly probeNames: string[]

  constructor(
    private readonly kernel: Kernel,
    private readonly options: TimeSeriesOptions,
    private readonly sink: Sink,
  ) {
    if (!(Number.isSafeInteger(options.intervalUs) && options.intervalUs >= 1)) {
      throw new RangeError(`${options.name}: interval ${options.intervalUs} µs`)
    }
    this.probeNames = Object.keys(options.probes)
    const tick = kernel.register<undefined>(`time-series:${options.name}`, () => {
      this.sample()
      if (kernel.nowUs + options.intervalUs <= options.endUs)
        kernel.schedule(options.intervalUs, tick, 0, undefined)
    })
    kernel.schedule(options.intervalUs, tick, 0, undefined)
  }

  private sample(): void {
    const now = this.kernel.nowUs
    const record: Record<string, unknown> = { tUs: now, series: this.options.name }
    for (const name of this.probeNames) record[name] = this.options.probes[name]!(now)
    this.sink.write(record)
  }
}
