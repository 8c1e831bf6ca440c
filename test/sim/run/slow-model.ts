/**
 * Replication models for replications.test.ts: one that marks a file when it starts and another
 * when it finishes a long busy loop (to see that an interrupted replication's thread is stopped),
 * one that returns a structured result (a record with a string) rather than numeric metrics, and
 * one paced by RunControl (to see that an interrupted replication stops its run between chunks).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makeRunControl } from "../../../sim/run/run-control.ts"
import { runMmc } from "../mmc-model.ts"

export interface SlowOptions {
  readonly dir: string
  readonly busyMs: number
}

export const slowModel = (seed: number, o: SlowOptions): Record<string, number> => {
  writeFileSync(join(o.dir, `started-${seed}`), "")
  const until = Date.now() + o.busyMs
  while (Date.now() < until) {
    // busy: a synchronous simulation that only a terminated thread stops
  }
  writeFileSync(join(o.dir, `finished-${seed}`), "")
  return { seed }
}

/** The M/M/c run's waiting mean and its event-log digest, as a promise (a paced run's shape). */
export const mmcRecord = async (
  seed: number,
  o: Parameters<typeof runMmc>[1],
): Promise<{ readonly waitUsMean: number; readonly digest: string }> => {
  const r = runMmc(seed, o)
  return { waitUsMean: r.waitUsMean, digest: r.digest }
}

/**
 * A run paced by sim/run's RunControl that would go on for minutes (each event a millisecond of
 * busy work, then the next): it marks `started-<seed>` once its loop runs, and `interrupted-<seed>`
 * (with the events done) from its finalizer when its fiber is interrupted between two chunks — a
 * thread that is killed instead never writes it.
 */
export const pacedModel = (seed: number, o: SlowOptions) =>
  Effect.gen(function* () {
    const kernel = new Kernel()
    const tick = kernel.register<null>("busy-tick", () => {
      const until = Date.now() + 1
      while (Date.now() < until) {
        // a millisecond of work per event, as a byte-level card event costs
      }
      kernel.schedule(1_000, tick, 0, null)
    })
    kernel.schedule(0, tick, 0, null)
    const rc = yield* makeRunControl(kernel, { chunkEvents: 50, sliceMs: 50 })
    writeFileSync(join(o.dir, `started-${seed}`), "")
    yield* rc
      .start(o.busyMs * 1_000)
      .pipe(
        Effect.onInterrupt(() =>
          Effect.sync(() =>
            writeFileSync(join(o.dir, `interrupted-${seed}`), String(kernel.eventsProcessed)),
          ),
        ),
      )
    writeFileSync(join(o.dir, `finished-${seed}`), "")
    return { seed }
  })
