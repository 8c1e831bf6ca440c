/**
 * The benchmarks' stopwatch: runs an operation until a time budget is spent and reports ops/s.
 * Benchmarks print figures; they never assert timings (README "Benchmarks").
 */
import { performance } from "node:perf_hooks"

export interface Measurement {
  readonly ops: number
  readonly seconds: number
  readonly opsPerSec: number
}

/** Warms the operation up (JIT, lazy tables), then times batches until `budgetMs` has passed. */
export const measure = (operation: () => unknown, budgetMs = 400): Measurement => {
  for (let i = 0; i < 20; i++) operation()
  let ops = 0
  let batch = 1
  const start = performance.now()
  let elapsed = 0
  while (elapsed < budgetMs) {
    for (let i = 0; i < batch; i++) operation()
    ops += batch
    elapsed = performance.now() - start
    if (elapsed < budgetMs / 10) batch *= 2
  }
  return { ops, seconds: elapsed / 1000, opsPerSec: ops / (elapsed / 1000) }
}

/** One JSON line per figure, so results can be collected by scripts as well as read. */
export const printLine = (record: Readonly<Record<string, unknown>>): void => {
  process.stdout.write(`${JSON.stringify(record)}\n`)
}
