/**
 * `<series-chart>`: one time series as a uPlot line chart, x in simulated days. uPlot's CSS is
 * injected into the shadow root (STACK.md: chart CSS must be, `?inline` + `unsafeCSS`).
 * Properties: `series` (Series from view-state.ts).
 */
import { css, html, LitElement, type PropertyValues, unsafeCSS } from "lit"
import uPlot from "uplot"
import uplotCss from "uplot/dist/uPlot.min.css?inline"
import type { Series } from "./view-state.ts"

const COLOURS = ["#4a78c2", "#d9822b", "#2e9e5b", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"]
const US_PER_DAY = 86_400_000_000

export class SeriesChart extends LitElement {
  static override properties = { series: { attribute: false }, points: { type: Number } }
  declare series: Series | null
  /** The number of points last drawn; a change triggers `setData`. */
  declare points: number

  constructor() {
    super()
    this.series = null
    this.points = 0
  }
  private plot: uPlot | null = null
  private drawn: Series | null = null

  static override styles = [
    unsafeCSS(uplotCss),
    css`:host { display: block; background: #fff; border-radius: 6px; padding: 4px; } h4 { margin: 4px 8px; font-size: 13px; }`,
  ]

  override render() {
    return html`<h4>${this.series?.name ?? ""}</h4><div class="plot"></div>`
  }

  private data(): uPlot.AlignedData {
    const s = this.series!
    return [s.t.map((t) => t / US_PER_DAY), ...s.fields.map((f) => s.values.get(f)!)]
  }

  protected override updated(_changed: PropertyValues): void {
    const s = this.series
    if (s === null) return
    if (this.drawn !== s) {
      this.plot?.destroy()
      this.plot = null
      this.drawn = s
    }
    if (this.plot === null) {
      const target = this.renderRoot.querySelector(".plot") as HTMLElement
      const opts: uPlot.Options = {
        width: Math.max(280, this.clientWidth - 16),
        height: 180,
        scales: { x: { time: false } },
        axes: [{ label: "simulated day" }, { size: 70 }],
        series: [
          { label: "day" },
          ...s.fields.map((f, i) => ({ label: f, stroke: COLOURS[i % COLOURS.length]!, width: 1.5 })),
        ],
      }
      this.plot = new uPlot(opts, this.data(), target)
      return
    }
    this.plot.setData(this.data())
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.plot?.destroy()
    this.plot = null
  }
}
customElements.define("series-chart", SeriesChart)
