/**
 * The sweep's grid and its jobs: the Cartesian product of the varied values (the first `--vary`
 * changes slowest), each point × each replication one job. Replication r runs with seed
 * `baseSeed + r` at every grid point — common random numbers: points differ by the parameter, not
 * by the draws, which narrows the confidence intervals of differences between points — and the
 * seeds are a pure function of (base seed, r), so a sweep reruns identically.
 */
import { validateScenario } from "../run/scenario-outcome.ts"
import { type VarySpec, withValue } from "./vary-spec.ts"

/** A bound on grid points × replications, so a typo cannot queue a million runs. */
export const SWEEP_JOBS_MAX = 10_000

export type GridPoint = Readonly<Record<string, number | boolean | string>>

export interface SweepJob {
  readonly point: number
  readonly replication: number
  readonly seed: number
}

export interface SweepPlan {
  readonly varies: ReadonlyArray<VarySpec>
  readonly points: ReadonlyArray<GridPoint>
  /** The scenario JSON of each point. */
  readonly scenarios: ReadonlyArray<unknown>
  readonly jobs: ReadonlyArray<SweepJob>
}

export type PlanResult =
  | { readonly ok: true; readonly plan: SweepPlan }
  | { readonly ok: false; readonly message: string }

export const gridOf = (varies: ReadonlyArray<VarySpec>): GridPoint[] =>
  varies.reduce<GridPoint[]>(
    (points, v) => points.flatMap((p) => v.values.map((value) => ({ ...p, [v.path]: value }))),
    [{}],
  )

export const planSweep = (
  scenario: unknown,
  varies: ReadonlyArray<VarySpec>,
  replications: number,
  baseSeed: number,
): PlanResult => {
  if (!(Number.isInteger(replications) && replications >= 1))
    return { ok: false, message: `--replications must be a positive integer, not ${replications}` }
  const points = gridOf(varies)
  if (points.length * replications > SWEEP_JOBS_MAX)
    return {
      ok: false,
      message: `${points.length} points × ${replications} replications exceeds ${SWEEP_JOBS_MAX} runs`,
    }
  const scenarios: unknown[] = []
  for (const point of points) {
    const json = varies.reduce<unknown>((j, v) => withValue(j, v.keys, point[v.path]), scenario)
    const valid = validateScenario(json)
    if (!valid.ok) {
      const where = Object.entries(point)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")
      return { ok: false, message: `at the grid point ${where} the scenario is invalid:\n${valid.message}` }
    }
    scenarios.push(json)
  }
  const jobs = points.flatMap((_, point) =>
    Array.from({ length: replications }, (_, replication) => ({
      point,
      replication,
      seed: baseSeed + replication,
    })),
  )
  return { ok: true, plan: { varies, points, scenarios, jobs } }
}
