/**
 * `<kpi-detail>`: one phase KPI's drill-down, opened from the KPI table (issue #15 item 3): its
 * series over the whole run with its targets, pace line and fault bands, and its "why" — one
 * paragraph per phase target as the report's attribution words it (app/live/kpi-explanation.ts),
 * asked of the server when the panel opens, when the run ends, and on the refresh button.
 * Properties: `kpi` (Kpi), `series` (Series | null), `paragraphs` (string[] | null), `faults`,
 * `epochUs`, `nowUs`. Events: `explain` (detail: the KPI's key), `close`.
 */
import { css, html, LitElement, nothing } from "lit"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { Kpi } from "../../model/signals/kpi.ts"
import "./series-chart.ts"
import type { Series } from "./view-state.ts"

export class KpiDetail extends LitElement {
  static override properties = {
    kpi: { attribute: false },
    series: { attribute: false },
    paragraphs: { attribute: false },
    faults: { attribute: false },
    epochUs: { type: Number },
    nowUs: { type: Number },
  }
  declare kpi: Kpi | null
  declare series: Series | null
  declare paragraphs: ReadonlyArray<string> | null
  declare faults: ReadonlyArray<FaultWindow>
  declare epochUs: number
  declare nowUs: number

  constructor() {
    super()
    this.kpi = null
    this.series = null
    this.paragraphs = null
    this.faults = []
    this.epochUs = 0
    this.nowUs = 0
  }

  static override styles = css`
    :host { display: block; background: #fff; border-radius: 6px; padding: 8px; border: 2px solid #2e9e5b; font-size: 13px; }
    header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
    h3 { margin: 0; font-size: 14px; } p { margin: 4px 0; } .none { color: #777; }
  `

  private emit(name: "explain" | "close"): void {
    this.dispatchEvent(new CustomEvent(name, { detail: this.kpi?.key, bubbles: true, composed: true }))
  }

  override render() {
    const k = this.kpi
    if (k === null) return nothing
    const s = this.series
    return html`<header><h3 id="kpi-title">${k.label}</h3>
        <span><button id="kpi-refresh" @click=${() => this.emit("explain")}>explain again</button>
        <button id="kpi-close" @click=${() => this.emit("close")}>close</button></span></header>
      ${
        s === null
          ? nothing
          : html`<series-chart .series=${s} .samples=${s.samples} .refined=${s.refined} .epochUs=${this.epochUs} .nowUs=${this.nowUs}
              .faults=${this.faults} .targets=${k.targets} .heading=${"whole run"}></series-chart>`
      }
      <h4>Why: the report's attribution for each phase target</h4>
      <div id="kpi-why">${
        this.paragraphs === null
          ? html`<p class="none">asking the server…</p>`
          : this.paragraphs.map((t) => html`<p>${t}</p>`)
      }</div>`
  }
}
customElements.define("kpi-detail", KpiDetail)
