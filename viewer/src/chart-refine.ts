/**
 * Zoom below the kept buckets (issue [viewer] 1: "refined as the user zooms"): a chart keeps the
 * whole run in min/max buckets (series-buffer.ts); when the user zooms into a span where those
 * buckets are coarser than the plot's pixels, the chart asks the server for the span at full
 * resolution (a `window` request, sim/server/series-store.ts) and draws the answer in place of the
 * buckets inside it; zooming out draws the buckets again.
 */
import type { SeriesView } from "./series-buffer.ts"
import type { Refined, Series } from "./view-state.ts"

/** What a chart asks the server for (the `refine` event's detail; tsm-viewer sends it as `window`). */
export interface RefineRequest {
  readonly series: string
  readonly fields: ReadonlyArray<string>
  readonly fromUs: number
  readonly toUs: number
  readonly points: number
}

/** The `window` bound of the protocol (PROTOCOL_LIMITS.windowPointsMax). */
const POINTS_MAX = 2048

/** Kept points with an instant in [fromUs, toUs]. */
export const pointsIn = (t: ReadonlyArray<number>, fromUs: number, toUs: number): number => {
  let n = 0
  for (const x of t) if (x >= fromUs && x <= toUs) n++
  return n
}

/** Whether a refined span covers the view. */
export const covers = (r: Refined | null, fromUs: number, toUs: number): r is Refined =>
  r !== null && r.fromUs <= fromUs && r.toUs >= toUs

/**
 * The request for a view of [fromUs, toUs] on a plot `widthPx` wide, or null when the buckets are
 * already fine enough there: every sample is kept (resolution 1), the view holds at least a point
 * per two pixels, or a refined span already covers it. The span asked for reaches half a view
 * beyond each side, so a short pan stays refined.
 */
export const refineRequest = (
  s: Series,
  fromUs: number,
  toUs: number,
  widthPx: number,
): RefineRequest | null => {
  if (s.source === null || s.buffer.resolution <= 1 || toUs <= fromUs) return null
  if (covers(s.refined, fromUs, toUs)) return null
  if (pointsIn(s.buffer.view().t, fromUs, toUs) >= widthPx / 2) return null
  const span = toUs - fromUs
  return {
    series: s.source.series,
    fields: s.source.fields,
    fromUs: Math.max(0, Math.floor(fromUs - span / 2)),
    toUs: Math.ceil(toUs + span / 2),
    points: Math.min(POINTS_MAX, Math.max(2, Math.round(4 * widthPx))),
  }
}

/**
 * The buckets outside the refined span and the refined points inside it, in time order (the
 * server's answer reaches one point beyond each end; those are left to the buckets).
 */
export const mergeRefined = (view: SeriesView, r: Refined): SeriesView => {
  const before: number[] = []
  const after: number[] = []
  view.t.forEach((x, i) => {
    if (x < r.fromUs) before.push(i)
    else if (x > r.toUs) after.push(i)
  })
  const inside: number[] = []
  r.t.forEach((x, i) => {
    if (x >= r.fromUs && x <= r.toUs) inside.push(i)
  })
  const pick = (v: ReadonlyArray<number>, idx: number[]) => idx.map((i) => v[i]!)
  return {
    t: [...pick(view.t, before), ...pick(r.t, inside), ...pick(view.t, after)],
    values: view.values.map((v, f) => [...pick(v, before), ...pick(r.values[f]!, inside), ...pick(v, after)]),
  }
}
