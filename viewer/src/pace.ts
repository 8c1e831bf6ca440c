/**
 * "On pace for …": where a cumulative KPI lands by a deadline if it keeps the pace of its recent
 * past (a straight line through the value `windowUs` ago and now). Bass adoption accelerates, so a
 * straight line is a deliberately plain reading — the chart says which window it used.
 */
export const PACE_WINDOW_US = 90 * 86_400_000_000

export interface Pace {
  /** The projected value at the deadline. */
  readonly value: number
  /** Units per simulated day over the window. */
  readonly perDay: number
}

export const paceTo = (
  t: ReadonlyArray<number>,
  v: ReadonlyArray<number>,
  deadlineUs: number,
  windowUs = PACE_WINDOW_US,
): Pace | null => {
  const n = t.length
  if (n < 2 || v.length !== n) return null
  const lastT = t[n - 1]!
  if (deadlineUs <= lastT) return null
  let i = n - 2
  while (i > 0 && t[i]! > lastT - windowUs) i--
  const span = lastT - t[i]!
  if (span <= 0) return null
  const slope = (v[n - 1]! - v[i]!) / span
  return { value: v[n - 1]! + slope * (deadlineUs - lastT), perDay: slope * 86_400_000_000 }
}
