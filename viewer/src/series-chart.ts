/**
 * `<series-chart>`: one time series as a uPlot line chart over the whole run (series-buffer.ts),
 * dates on x, one y axis per unit (a second unit gets the right-hand axis), fault windows as bands
 * for as long as they last, and — for a phase KPI — its targets as dashed lines to their deadlines
 * and the pace line to the last deadline. Drag to zoom into a span, Shift-drag to pan, double-click
 * to see the whole run again (a zoomed or panned view stays put while the run goes on); the chart
 * follows its element's width (ResizeObserver). Zoomed into a span narrower than the kept buckets,
 * it asks the server for the span at full resolution and draws that (chart-refine.ts); zoomed out,
 * the buckets again. uPlot's CSS is injected into the shadow root (STACK.md: `?inline` + `unsafeCSS`).
 * Properties: `series`, `samples` (a change redraws), `refined` (the series' refined span),
 * `epochUs`, `targets`, `faults`, `nowUs`, `heading`. Events: `refine` (detail: RefineRequest).
 */
import { css, html, LitElement, nothing, type PropertyValues, unsafeCSS } from "lit"
import uPlot from "uplot"
import uplotCss from "uplot/dist/uPlot.min.css?inline"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { PhaseTarget } from "../../model/signals/kpi.ts"
import { drawBands, drawTargets } from "./chart-overlays.ts"
import { attachPan } from "./chart-pan.ts"
import { covers, mergeRefined, pointsIn, refineRequest } from "./chart-refine.ts"
import { formatCount, paceLine } from "./chart-text.ts"
import type { SeriesView } from "./series-buffer.ts"
import type { Refined, Series } from "./view-state.ts"

const COLOURS = ["#4a78c2", "#d9822b", "#2e9e5b", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"]
const HEIGHT = 190

export class SeriesChart extends LitElement {
  static override properties = {
    series: { attribute: false },
    samples: { type: Number },
    refined: { attribute: false },
    epochUs: { type: Number },
    targets: { attribute: false },
    faults: { attribute: false },
    nowUs: { type: Number },
    heading: { type: String },
  }
  declare series: Series | null
  declare samples: number
  declare refined: Refined | null
  declare epochUs: number
  declare targets: ReadonlyArray<PhaseTarget> | null
  declare faults: ReadonlyArray<FaultWindow>
  declare nowUs: number
  /** The heading; the series' name when empty. */
  declare heading: string

  constructor() {
    super()
    this.series = null
    this.samples = 0
    this.refined = null
    this.epochUs = 0
    this.targets = null
    this.faults = []
    this.nowUs = 0
    this.heading = ""
  }
  private plot: uPlot | null = null
  /** The x span the user zoomed or panned to (seconds); null follows the whole run. */
  private userView: { min: number; max: number } | null = null
  /** True from a pointer press on the plot until just after its release: x changes then are the user's. */
  private interacting = false
  private drawn: Series | null = null
  private drawnUnits = ""
  private refineTimer: ReturnType<typeof setTimeout> | null = null
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()))

  static override styles = [
    unsafeCSS(uplotCss),
    css`:host { display: block; background: #fff; border-radius: 6px; padding: 4px; min-width: 0; }
      h4 { margin: 4px 8px 0; font-size: 13px; } .pace { margin: 0 8px; font-size: 12px; color: #555; }`,
  ]

  override connectedCallback(): void {
    super.connectedCallback()
    this.resize.observe(this)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.resize.disconnect()
    if (this.refineTimer !== null) clearTimeout(this.refineTimer)
    this.plot?.destroy()
    this.plot = null
  }

  override render() {
    const s = this.series
    const pace = s === null || this.targets === null ? null : paceLine(s, this.targets, this.epochUs)
    return html`<h4>${this.heading || s?.name || ""}</h4>${pace === null ? nothing : html`<div class="pace" data-pace>${pace}</div>`}<div class="plot"></div>`
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(260, this.clientWidth - 8), height: HEIGHT }
  }

  /** The user's view in µs of the run, or null while the chart follows the whole run. */
  private viewUs(): { fromUs: number; toUs: number } | null {
    const v = this.userView
    if (v === null) return null
    return { fromUs: v.min * 1e6 - this.epochUs, toUs: v.max * 1e6 - this.epochUs }
  }

  /** The buckets, with the server's full-resolution span in place of them while it covers the view. */
  private shown(): { view: SeriesView; refined: Refined | null } {
    const s = this.series!
    const view = s.buffer.view()
    const u = this.viewUs()
    const r = this.refined
    return u !== null && covers(r, u.fromUs, u.toUs)
      ? { view: mergeRefined(view, r), refined: r }
      : { view, refined: null }
  }

  /** x in seconds since the Unix epoch (uPlot's time scale); one array per field. */
  private data(): uPlot.AlignedData {
    const { view, refined } = this.shown()
    this.mark(view, refined)
    const seconds = view.t.map((t) => (this.epochUs + t) / 1e6)
    return [seconds, ...view.values.map((v) => [...v])]
  }

  /**
   * What the chart covers, for tests and for anyone reading the DOM: first and last instant, bands,
   * the kept buckets' resolution and, while zoomed, the points drawn in the view and their resolution.
   */
  private mark(view: SeriesView, refined: Refined | null): void {
    this.dataset.firstUs = String(view.t[0] ?? "")
    this.dataset.lastUs = String(view.t.at(-1) ?? "")
    this.dataset.points = String(view.t.length)
    this.dataset.bands = String(this.faults.length)
    this.dataset.resolution = String(this.series!.buffer.resolution)
    this.dataset.shownResolution = String(refined?.resolution ?? this.series!.buffer.resolution)
    this.dataset.refined = String(refined !== null)
    const u = this.viewUs()
    this.dataset.inView = u === null ? "" : String(pointsIn(view.t, u.fromUs, u.toUs))
  }

  /** Asks for the zoomed span at full resolution once the view has rested for a moment. */
  private scheduleRefine(): void {
    if (this.refineTimer !== null) clearTimeout(this.refineTimer)
    this.refineTimer = setTimeout(() => {
      this.refineTimer = null
      const u = this.viewUs()
      const s = this.series
      if (u === null || s === null || this.plot === null) return
      const request = refineRequest(
        { ...s, refined: this.refined },
        u.fromUs,
        u.toUs,
        this.plot.over.clientWidth,
      )
      if (request === null) return
      this.dispatchEvent(new CustomEvent("refine", { detail: request, bubbles: true, composed: true }))
    }, 150)
  }

  protected override updated(_changed: PropertyValues): void {
    const s = this.series
    if (s === null) return
    // A new series, or units that arrived after its first samples: the axes are drawn anew.
    const units = s.units.join("|")
    if (this.drawn !== s || this.drawnUnits !== units) {
      this.plot?.destroy()
      this.plot = null
      this.drawn = s
      this.drawnUnits = units
    }
    if (this.plot === null) {
      const target = this.renderRoot.querySelector(".plot") as HTMLElement
      this.userView = null
      this.plot = new uPlot(this.options(s), this.data(), target)
      attachPan(this.plot, (pressed) => {
        this.interacting = pressed
      })
      const over = this.plot.over
      // After uPlot's own double-click (which shows the whole run): follow the run again, on the buckets.
      over.addEventListener("dblclick", () => {
        this.userView = null
        this.plot?.setData(this.data(), true)
      })
      return
    }
    const kept = this.userView
    this.plot.setData(this.data(), kept === null)
    // uPlot keeps the indices of the visible points from the old data when the scale is kept:
    // setting the user's span again makes it find them in the new data.
    if (kept !== null) this.plot.setScale("x", kept)
  }

  /** Keeps the user's zoom or pan (a change of x while the user presses on the plot). */
  private scaleSet(u: uPlot, key: string): void {
    if (key !== "x") return
    const { min, max } = u.scales.x!
    if (min === undefined || max === undefined || min === null || max === null) return
    this.dataset.xMin = String(min)
    this.dataset.xMax = String(max)
    if (!this.interacting) return
    this.userView = { min, max }
    this.scheduleRefine()
  }

  private options(s: Series): uPlot.Options {
    const units = [...new Set(s.units)]
    const scaleOf = (unit: string) => `y:${unit}`
    const targets = () => this.targets ?? []
    const axes: uPlot.Axis[] = [
      { space: 70 },
      ...units.map(
        (unit, i): uPlot.Axis => ({
          scale: scaleOf(unit),
          ...(unit === "" ? {} : { label: unit }),
          side: i === 0 ? 3 : 1,
          size: 64,
          grid: { show: i === 0 },
          values: (_u, ticks) => ticks.map(formatCount),
        }),
      ),
    ]
    const scales: uPlot.Scales = { x: { time: true } }
    for (const unit of units)
      scales[scaleOf(unit)] = {
        range: (_u, min, max) => {
          const top = Math.max(max, ...targets().map((t) => t.target))
          return [Math.min(0, min), top > 0 ? top * 1.08 : 1]
        },
      }
    return {
      ...this.size(),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      scales,
      axes,
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: "date (UTC)" },
        ...s.fields.map((f, i) => ({
          label: s.units[i] === "" ? f : `${f} (${s.units[i]})`,
          scale: scaleOf(s.units[i]!),
          stroke: COLOURS[i % COLOURS.length]!,
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : formatCount(v)),
        })),
      ],
      hooks: {
        setScale: [(u, key) => this.scaleSet(u, key)],
        drawClear: [(u) => drawBands(u, this.faults, this.epochUs, this.nowUs)],
        draw: [
          (u) => {
            const boxes = drawTargets(u, targets(), this.epochUs, scaleOf(s.units[0] ?? ""), this.series)
            // For tests: each label's span against the plot's, in canvas pixels.
            this.dataset.targetLabels = JSON.stringify(
              boxes.map((b) => [b.left, b.right, b.plotLeft, b.plotRight]),
            )
          },
        ],
      },
    }
  }
}
customElements.define("series-chart", SeriesChart)
