/**
 * A sweep's result: every KPI at every grid point as a mean with its 95 % confidence interval over
 * the replications (Student t, sim/run/confidence.ts), and for each KPI the knee of its curve
 * along the first varied path (knee.ts), per combination of the other paths' values. Replications
 * that did not measure a KPI (NaN) are left out of that KPI's interval, and `n` says how many
 * remained.
 */
import { type MeanCi, meanCi95 } from "../../sim/run/confidence.ts"
import { findKnee, type Knee } from "./knee.ts"
import type { GridPoint, SweepPlan } from "./sweep-grid.ts"

export interface PointResult {
  readonly point: GridPoint
  readonly kpis: Readonly<Record<string, MeanCi>>
}

export interface KpiCurve {
  readonly kpi: string
  /** The other paths' values this curve holds fixed ("" with one varied path). */
  readonly fixed: string
  readonly xs: ReadonlyArray<number>
  readonly values: ReadonlyArray<MeanCi>
  readonly knee: Knee | null
}

export interface SweepResult {
  readonly paths: ReadonlyArray<string>
  readonly replications: number
  readonly seeds: ReadonlyArray<number>
  readonly points: ReadonlyArray<PointResult>
  /**
   * Every run: its grid point, replication, seed, event-log digest (null when the sweep did not
   * collect it or the kind keeps none) and KPIs, so anyone can recompute the intervals and replay
   * any run from its seed.
   */
  readonly runs: ReadonlyArray<{
    readonly point: number
    readonly replication: number
    readonly seed: number
    readonly digest: string | null
    readonly kpis: Record<string, number>
  }>
  readonly curves: ReadonlyArray<KpiCurve>
}

export const aggregate = (
  plan: SweepPlan,
  metrics: ReadonlyArray<Record<string, number>>,
  digests: ReadonlyArray<string | null> = [],
): SweepResult => {
  const names = [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort()
  const points = plan.points.map((point, p) => {
    const runs = plan.jobs.flatMap((job, j) => (job.point === p ? [metrics[j]!] : []))
    const kpis = Object.fromEntries(
      names.map((n) => [n, meanCi95(runs.map((r) => r[n] ?? Number.NaN).filter(Number.isFinite))]),
    )
    return { point, kpis }
  })
  const replications = plan.jobs.filter((j) => j.point === 0).length
  return {
    paths: plan.varies.map((v) => v.path),
    replications,
    seeds: plan.jobs.filter((j) => j.point === 0).map((j) => j.seed),
    points,
    runs: plan.jobs.map((job, j) => ({
      point: job.point,
      replication: job.replication,
      seed: job.seed,
      digest: digests[j] ?? null,
      kpis: metrics[j]!,
    })),
    curves: curvesOf(plan, points, names),
  }
}

const curvesOf = (
  plan: SweepPlan,
  points: ReadonlyArray<PointResult>,
  names: ReadonlyArray<string>,
): KpiCurve[] => {
  const [xPath, ...others] = plan.varies.map((v) => v.path)
  if (xPath === undefined || typeof plan.varies[0]!.values[0] !== "number") return []
  const groups = new Map<string, PointResult[]>()
  for (const r of points) {
    const fixed = others.map((o) => `${o}=${r.point[o]}`).join(", ")
    groups.set(fixed, [...(groups.get(fixed) ?? []), r])
  }
  return names.flatMap((kpi) =>
    [...groups].map(([fixed, rs]) => {
      const xs = rs.map((r) => r.point[xPath] as number)
      const values = rs.map((r) => r.kpis[kpi]!)
      const knee = findKnee(xs.map((x, i) => ({ x, y: values[i]!.mean })))
      return { kpi, fixed, xs, values, knee }
    }),
  )
}
