/**
 * How many threads a pilot run uses (`tsm-twin run --threads N`, model/world/pilot/pilot-world.ts
 * WorldOptions.threads): the CLI's default and bound, in one place, so bench:pilot runs the pilot
 * on the threads a user's run gets. The pilot's byte-level issuances run on a worker beside the
 * kernel from 2 (model/world/pilot/byte-level/issuance-plane.ts); the digest is the same for any N.
 */
import { availableParallelism } from "node:os"

/** `--threads N`: 1 … THREADS_MAX. */
export const THREADS_MAX = 64

/**
 * The default: the machine's cores (capped). On the idle 2-core machine two threads were faster at
 * every setting measured (2026-12-06, same digest each time): 04 at 1× 179.9 s vs 245.0 s, at 0.1×
 * 21.2 s vs 24.6 s, at 0.002× with `--byte-level 1` 18.9/17.4 s vs 25.1/27.4 s.
 */
export const THREADS_DEFAULT = Math.min(availableParallelism(), THREADS_MAX)
