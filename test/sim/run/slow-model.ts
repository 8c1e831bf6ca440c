/**
 * Replication models for replications.test.ts: one that marks a file when it starts and another
 * when it finishes a long busy loop (to see that an interrupted replication's thread is stopped),
 * and one that returns a structured result (a record with a string) rather than numeric metrics.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
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
