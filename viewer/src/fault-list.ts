/**
 * `<fault-list>`: the faults in force now (party, outage or degradation, since when, until when
 * or "open"), every fault window of the run so far, and the command log — each command's
 * acknowledgement or refusal as the server answered it, newest first.
 * Properties: `active`, `windows` (FaultWindow[]), `log` (CommandEntry[]), `epochUs`.
 */
import { css, html, LitElement, nothing } from "lit"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { CommandEntry } from "./view-state.ts"

const when = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().replace("T", " ").slice(0, 16)

export class FaultList extends LitElement {
  static override properties = {
    active: { attribute: false },
    windows: { attribute: false },
    log: { attribute: false },
    epochUs: { type: Number },
  }
  declare active: ReadonlyArray<FaultWindow>
  declare windows: ReadonlyArray<FaultWindow>
  declare log: ReadonlyArray<CommandEntry>
  declare epochUs: number

  constructor() {
    super()
    this.active = []
    this.windows = []
    this.log = []
    this.epochUs = 0
  }

  static override styles = css`
    :host { display: block; background: #fff; border-radius: 6px; padding: 6px 8px; font-size: 12px; }
    h3 { font-size: 12px; margin: 4px 0; } ul { margin: 0; padding-left: 16px; }
    .outage { color: #a93226; } .degraded { color: #b9770e; } .refused { color: #a31515; } .none { color: #777; }
  `

  private item(w: FaultWindow) {
    const until = w.endUs === null ? "open" : when(this.epochUs, w.endUs)
    return html`<li class=${w.kind}>${w.party} ${w.kind} · ${when(this.epochUs, w.startUs)} → ${until}</li>`
  }

  override render() {
    return html`
      <h3>Active faults</h3>
      ${this.active.length === 0 ? html`<div class="none" id="no-active-fault">none</div>` : html`<ul id="active-faults">${this.active.map((w) => this.item(w))}</ul>`}
      ${this.windows.length === 0 ? nothing : html`<h3>Fault windows in this run (${this.windows.length})</h3><ul id="fault-windows">${this.windows.slice(-8).map((w) => this.item(w))}</ul>`}
      <h3>Commands</h3>
      ${this.log.length === 0 ? html`<div class="none">none yet</div>` : html`<ul id="command-log">${this.log.map((c) => html`<li class=${c.ok ? "" : "refused"}>${c.text}</li>`)}</ul>`}
    `
  }
}
customElements.define("fault-list", FaultList)
