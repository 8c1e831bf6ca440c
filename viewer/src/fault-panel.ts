/**
 * `<fault-panel>`: one button per fault in the scenario's catalogue; pressing it asks the server to
 * inject that fault now. Properties: `faults` (CatalogueEntry[]), `disabled`. Events: `inject`
 * (detail: fault id).
 */
import { css, html, LitElement } from "lit"
import type { CatalogueEntry } from "../../sim/server/protocol.ts"

export class FaultPanel extends LitElement {
  static override properties = { faults: { attribute: false }, disabled: { type: Boolean } }
  declare faults: ReadonlyArray<CatalogueEntry>
  declare disabled: boolean

  constructor() {
    super()
    this.faults = []
    this.disabled = false
  }

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 6px; }
    button { border: 1px solid #c0392b; color: #a31515; background: #fff5f5; border-radius: 4px; padding: 4px 8px; cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: default; }
  `

  override render() {
    return this.faults.map(
      (f) => html`<button
        data-fault=${f.id}
        ?disabled=${this.disabled}
        @click=${() => this.dispatchEvent(new CustomEvent("inject", { detail: f.id, bubbles: true, composed: true }))}
      >⚡ ${f.title}</button>`,
    )
  }
}
customElements.define("fault-panel", FaultPanel)
