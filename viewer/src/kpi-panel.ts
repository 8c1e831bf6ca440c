/**
 * `<kpi-panel>`: each KPI's value against the pilot's three phase targets, a cell per target that
 * turns pass (green) or fail (red) as the run decides it, and says "not reached" for a target whose
 * deadline lies past the end of a run that has ended (kpi-status.ts); clicking a KPI's name opens
 * its drill-down. Properties: `kpis` (Kpi[]), `ended` (the run is over: live progress or the
 * replay says "done"). Events: `kpi` (detail: the KPI's key).
 */
import { css, html, LitElement } from "lit"
import type { Kpi } from "../../model/signals/kpi.ts"
import { shownStatus } from "./kpi-status.ts"

const number = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 })

export class KpiPanel extends LitElement {
  static override properties = { kpis: { attribute: false }, ended: { type: Boolean } }
  declare kpis: ReadonlyArray<Kpi>
  declare ended: boolean

  constructor() {
    super()
    this.kpis = []
    this.ended = false
  }

  static override styles = css`
    table { border-collapse: collapse; width: 100%; background: #fff; border-radius: 6px; }
    th, td { padding: 6px 8px; border-bottom: 1px solid #e3e6ec; text-align: right; font-size: 13px; }
    th:first-child, td:first-child { text-align: left; }
    .pass { background: #d4f5dc; color: #146c2e; }
    .fail { background: #ffd6d6; color: #a31515; }
    .pending { color: #5b6578; }
    button.open { border: 0; background: none; padding: 0; font: inherit; color: #23508f; cursor: pointer; text-align: left; text-decoration: underline dotted; }
    .not-reached { color: #5b6578; font-style: italic; }
  `

  private open(key: string): void {
    this.dispatchEvent(new CustomEvent("kpi", { detail: key, bubbles: true, composed: true }))
  }

  override render() {
    const phases = this.kpis[0]?.targets.map((t) => t.phase) ?? []
    return html`<table>
      <thead><tr><th>KPI</th><th>value</th>${phases.map((p) => html`<th>${p}</th>`)}</tr></thead>
      <tbody>
        ${this.kpis.map(
          (k) => html`<tr data-kpi=${k.key}>
            <td><button class="open" data-open=${k.key} @click=${() => this.open(k.key)}>${k.label}</button></td>
            <td class="value" data-value=${k.value}>${number.format(k.value)} ${k.unit}</td>
            ${k.targets.map((t) => {
              const shown = shownStatus(t.status, this.ended)
              return html`<td class=${shown.replace(" ", "-")} data-status=${shown} title=${`${t.phase}: ${t.target} ${k.unit}`}>
                ≥ ${number.format(t.target)} ${shown === "pending" ? "" : shown}
              </td>`
            })}
          </tr>`,
        )}
      </tbody>
    </table>`
  }
}
customElements.define("kpi-panel", KpiPanel)
