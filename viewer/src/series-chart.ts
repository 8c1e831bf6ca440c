/**
 * `<series-chart>`: one time series as a uPlot line chart over the whole run (series-buffer.ts),
 * dates on x, one y axis per unit (a second unit gets the right-hand axis), fault windows as bands
 * for as long as they last, and — for a phase KPI — its targets as dashed lines to their deadlines
 * and the pace line to the last deadline. Drag to zoom into a span, Shift-drag to pan, double-click
 * to see the whole run again (a zoomed or panned view stays put while the run goes on); the chart follows its element's width (ResizeObserver). uPlot's CSS is injected into
 * the shadow root (STACK.md: `?inline` + `unsafeCSS`).
 * Properties: `series`, `samples` (a change redraws), `epochUs`, `targets`, `faults`, `nowUs`, `heading`.
 */
import { css, html, LitElement, nothing, type PropertyValues, unsafeCSS } from "lit"
import uPlot from "uplot"
import uplotCss from "uplot/dist/uPlot.min.css?inline"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { PhaseTarget } from "../../model/signals/kpi.ts"
import { drawBands, drawTargets } from "./chart-overlays.ts"
import { attachPan } from "./chart-pan.ts"
import { formatCount, paceLine } from "./chart-text.ts"
import type { Series } from "./view-state.ts"

const COLOURS = ["#4a78c2", "#d9822b", "#2e9e5b", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"]
const HEIGHT = 190

export class SeriesChart extends LitElement {
  static override properties = {
    series: { attribute: false },
    samples: { type: Number },
    epochUs: { type: Number },
    targets: { attribute: false },
    faults: { attribute: false },
    nowUs: { type: Number },
    heading: { type: String },
  }
  declare series: Series | null
  declare samples: number
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

  /** x in seconds since the Unix epoch (uPlot's time scale); one array per field. */
  private data(): uPlot.AlignedData {
    const view = this.series!.buffer.view()
    const seconds = view.t.map((t) => (this.epochUs + t) / 1e6)
    return [seconds, ...view.values.map((v) => [...v])]
  }

  /** What the chart covers, for tests and for anyone reading the DOM: first and last instant, bands. */
  private mark(): void {
    const view = this.series!.buffer.view()
    this.dataset.firstUs = String(view.t[0] ?? "")
    this.dataset.lastUs = String(view.t.at(-1) ?? "")
    this.dataset.points = String(view.t.length)
    this.dataset.bands = String(this.faults.length)
  }

  protected override updated(_changed: PropertyValues): void {
    const s = this.series
    if (s === null) return
    this.mark()
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
      // After uPlot's own double-click (which shows the whole run): follow the run again.
      over.addEventListener("dblclick", () => {
        this.userView = null
      })
      return
    }
    this.plot.setData(this.data(), this.userView === null)
  }

  /** Keeps the user's zoom or pan (a change of x while the user presses on the plot). */
  private scaleSet(u: uPlot, key: string): void {
    if (key !== "x") return
    const { min, max } = u.scales.x!
    if (min === undefined || max === undefined || min === null || max === null) return
    this.dataset.xMin = String(min)
    this.dataset.xMax = String(max)
    if (this.interacting) this.userView = { min, max }
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
