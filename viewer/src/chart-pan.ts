/**
 * Panning a uPlot chart along x by dragging with Shift held (issue #15 item 1: zoom and pan): the
 * view moves with the pointer, keeping its span. A plain drag still selects a span to zoom into
 * (uPlot's own), and a double-click still shows the whole run; Shift's pointer-down is taken here,
 * before uPlot sees it, so the two never mix.
 */
import type uPlot from "uplot"

/**
 * `onPress(true)` on any press on the plot and `onPress(false)` a tick after its release (uPlot
 * zooms on the release), so the chart can tell the user's changes of x from the data's.
 */
export const attachPan = (u: uPlot, onPress: (pressed: boolean) => void): void => {
  const over = u.over
  let start: { x: number; min: number; max: number } | null = null
  over.addEventListener(
    "mousedown",
    (e) => {
      onPress(true)
      if (!e.shiftKey) return
      e.stopPropagation()
      e.preventDefault()
      const min = u.scales.x!.min
      const max = u.scales.x!.max
      if (min === undefined || max === undefined || min === null || max === null) return
      start = { x: e.clientX, min, max }
    },
    { capture: true },
  )
  const move = (e: MouseEvent) => {
    if (start === null) return
    const perPx = (start.max - start.min) / Math.max(1, over.clientWidth)
    const shift = (e.clientX - start.x) * perPx
    // Dragging to the right brings earlier times into view, as on a map.
    u.setScale("x", { min: start.min - shift, max: start.max - shift })
  }
  const up = () => {
    start = null
    setTimeout(() => onPress(false), 0)
  }
  window.addEventListener("mousemove", move)
  window.addEventListener("mouseup", up)
  u.hooks.destroy = [
    ...(u.hooks.destroy ?? []),
    () => {
      window.removeEventListener("mousemove", move)
      window.removeEventListener("mouseup", up)
    },
  ]
}
