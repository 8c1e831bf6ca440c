/**
 * Network partitions: windows of simulated time during which two groups of nodes cannot reach
 * each other (in both directions). Links consult them when a message is sent and again when it
 * would arrive, so a partition that starts while a message is in flight swallows it.
 */
export interface PartitionWindow {
  readonly sideA: ReadonlyArray<string>
  readonly sideB: ReadonlyArray<string>
  readonly startUs: number
  readonly endUs: number
}

export class Partitions {
  private readonly windows: PartitionWindow[] = []

  /** Cuts sideA from sideB during [startUs, endUs). */
  cut(window: PartitionWindow): void {
    if (!(window.startUs >= 0 && window.endUs > window.startUs)) {
      throw new RangeError(`partition window [${window.startUs}, ${window.endUs})`)
    }
    this.windows.push(window)
  }

  isCut(from: string, to: string, nowUs: number): boolean {
    for (const w of this.windows) {
      if (nowUs < w.startUs || nowUs >= w.endUs) continue
      const ab = w.sideA.includes(from) && w.sideB.includes(to)
      const ba = w.sideB.includes(from) && w.sideA.includes(to)
      if (ab || ba) return true
    }
    return false
  }
}
