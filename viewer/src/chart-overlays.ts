/**
 * What a chart draws over its lines, on uPlot's canvas (device pixels, inside the plot's box):
 * fault windows as bands behind the lines (red for an outage, orange for a degradation, for exactly
 * their span; an open outage runs to the present), a KPI's phase targets as dashed lines from the
 * run's start to each deadline with the phase's name, and the pace line from the last value to the
 * last deadline.
 */
import type uPlot from "uplot"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { PhaseTarget } from "../../model/signals/kpi.ts"
import { formatCount } from "./chart-text.ts"
import { paceTo } from "./pace.ts"
import type { Series } from "./view-state.ts"

const BAND = { outage: "rgba(192, 57, 43, 0.16)", degraded: "rgba(230, 126, 34, 0.16)" } as const

const xOf = (u: uPlot, epochUs: number, tUs: number): number => u.valToPos((epochUs + tUs) / 1e6, "x", true)

export const drawBands = (
  u: uPlot,
  faults: ReadonlyArray<FaultWindow>,
  epochUs: number,
  nowUs: number,
): void => {
  const { ctx, bbox } = u
  ctx.save()
  for (const f of faults) {
    const x0 = Math.max(bbox.left, xOf(u, epochUs, f.startUs))
    const x1 = Math.min(bbox.left + bbox.width, xOf(u, epochUs, f.endUs ?? Math.max(nowUs, f.startUs)))
    if (!(x1 > x0 - 2)) continue
    ctx.fillStyle = BAND[f.kind]
    // At least 2 px wide: a 24-hour outage stays visible on a three-year axis.
    ctx.fillRect(x0, bbox.top, Math.max(2, x1 - x0), bbox.height)
  }
  ctx.restore()
}

/** Where a target's label went, in the canvas's device pixels (a test checks it stays in the plot). */
export interface LabelBox {
  readonly left: number
  readonly right: number
  readonly plotLeft: number
  readonly plotRight: number
}

export const drawTargets = (
  u: uPlot,
  targets: ReadonlyArray<PhaseTarget>,
  epochUs: number,
  scale: string,
  series: Series | null,
): LabelBox[] => {
  const boxes: LabelBox[] = []
  if (targets.length === 0) return boxes
  const { ctx, bbox } = u
  const px = devicePixelRatio
  ctx.save()
  ctx.lineWidth = 1.5
  ctx.font = `${11 * px}px system-ui, sans-serif`
  // uPlot leaves the alignment of its last axis on the context (a left y axis: right-aligned,
  // middle baseline), which drew each label ending where it should start — left of the plot,
  // clipped, for an early deadline — and struck through by its own line.
  ctx.textAlign = "left"
  ctx.textBaseline = "alphabetic"
  const placed: number[] = []
  // Highest target first, so the labels stack downwards without covering each other.
  for (const t of [...targets].sort((a, b) => b.target - a.target)) {
    const y = u.valToPos(t.target, scale, true)
    const x = Math.min(bbox.left + bbox.width, xOf(u, epochUs, t.deadlineUs))
    const colour = t.status === "pass" ? "#2e9e5b" : t.status === "fail" ? "#c0392b" : "#7f8c8d"
    ctx.strokeStyle = colour
    ctx.setLineDash([6, 4])
    ctx.beginPath()
    ctx.moveTo(bbox.left, y)
    ctx.lineTo(x, y)
    ctx.stroke()
    let labelY = y - 4 * px
    // Moving below one label can land on another placed earlier: repeat until none is closer than a line.
    for (let moved = true, rounds = 0; moved && rounds < targets.length; rounds++) {
      moved = false
      for (const other of placed)
        if (Math.abs(labelY - other) < 12 * px) {
          labelY = other + 12 * px
          moved = true
        }
    }
    placed.push(labelY)
    const text = `${t.phase} ≥ ${formatCount(t.target)}`
    const width = ctx.measureText(text).width
    ctx.fillStyle = colour
    const left = Math.max(bbox.left + 2 * px, Math.min(x, bbox.left + bbox.width) - width - 4 * px)
    ctx.fillText(text, left, labelY)
    boxes.push({ left, right: left + width, plotLeft: bbox.left, plotRight: bbox.left + bbox.width })
  }
  drawPace(u, targets, epochUs, scale, series)
  ctx.restore()
  return boxes
}

const drawPace = (
  u: uPlot,
  targets: ReadonlyArray<PhaseTarget>,
  epochUs: number,
  scale: string,
  series: Series | null,
): void => {
  if (series === null) return
  const view = series.buffer.view()
  const last = Math.max(...targets.map((t) => t.deadlineUs))
  const pace = paceTo(view.t, view.values[0] ?? [], last)
  if (pace === null) return
  const { ctx } = u
  ctx.strokeStyle = "#4a78c2"
  ctx.setLineDash([2, 3])
  ctx.beginPath()
  ctx.moveTo(xOf(u, epochUs, view.t.at(-1)!), u.valToPos(view.values[0]!.at(-1)!, scale, true))
  ctx.lineTo(xOf(u, epochUs, last), u.valToPos(pace.value, scale, true))
  ctx.stroke()
}
