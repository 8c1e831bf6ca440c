/**
 * Where a capacity curve bends (issue 7 §6). Method, after Kneedle (Satopää, Albrecht, Irwin and
 * Raghavan, "Finding a 'Kneedle' in a Haystack", ICDCS workshops 2011): scale x and y of the
 * points to [0, 1], draw the chord from the first point to the last, and take the point farthest
 * from the chord (measured perpendicular to it in the scaled square). On a convex decreasing
 * curve — latency against servers — that is the point after which adding capacity buys little:
 * the curve's maximum curvature for a sampled curve. A curve within `straightMax` of its chord
 * everywhere has no knee (it is a straight line: every step buys the same), and fewer than three
 * points have none either.
 *
 * Beside the knee it reports each step's marginal gain as a share of the whole change, so a
 * reader sees how much the step past the knee still bought.
 */

export interface CurvePoint {
  readonly x: number
  readonly y: number
}

export interface Knee {
  readonly index: number
  readonly x: number
  readonly y: number
  /** The knee's distance from the chord in the unit square (0 = straight, ≤ 1/√2). */
  readonly bend: number
  /** Step i → i+1's change of y as a share of the total change of y (sums to 1). */
  readonly marginalShares: ReadonlyArray<number>
}

/** Below this distance from the chord a curve counts as straight (5 % of the unit square). */
export const STRAIGHT_MAX = 0.05

export const findKnee = (points: ReadonlyArray<CurvePoint>, straightMax = STRAIGHT_MAX): Knee | null => {
  const pts = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).toSorted((a, b) => a.x - b.x)
  if (pts.length < 3) return null
  const first = pts[0]!
  const last = pts.at(-1)!
  const xSpan = last.x - first.x
  const ySpan = last.y - first.y
  if (xSpan === 0 || ySpan === 0) return null
  // Scaled so the chord runs from (0, 0) to (1, 1) whatever the curve's direction.
  const scaled = pts.map((p) => ({ u: (p.x - first.x) / xSpan, v: (p.y - first.y) / ySpan }))
  let index = -1
  let bend = 0
  for (let i = 1; i < scaled.length - 1; i++) {
    const d = Math.abs(scaled[i]!.v - scaled[i]!.u) / Math.SQRT2
    if (d > bend) {
      bend = d
      index = i
    }
  }
  if (index < 0 || bend < straightMax) return null
  const marginalShares = pts.slice(1).map((p, i) => (p.y - pts[i]!.y) / ySpan)
  return { index, x: pts[index]!.x, y: pts[index]!.y, bend, marginalShares }
}
