/**
 * `<flow-inspector>`: the traced issuances and transactions; picking one shows its message
 * sequence across parties and, for APDU exchanges with the card, the command and response with
 * their data fields as TLV trees, and a secure-channel command also in plaintext (STORE DATA as
 * DGIs). Properties: `flows` (FlowSummary[]), `steps` (FlowStep[] of the chosen flow, or null),
 * `selected` (flow id). Events: `inspect` (detail: flow id).
 */
import { css, html, LitElement, nothing } from "lit"
import type { FlowStep, FlowSummary, TlvNode } from "../../model/signals/flow.ts"

const tree = (nodes: ReadonlyArray<TlvNode> | undefined): unknown =>
  nodes === undefined
    ? nothing
    : html`<ul class="tlv">
        ${nodes.map(
          (n) => html`<li>
            <span class="tag">${n.tag}</span> <span class="len">(${n.length})</span>
            ${n.value === undefined ? nothing : html`<span class="hex">${n.value}</span>`}
            ${n.name === undefined ? nothing : html`<span class="name">— ${n.name}</span>`}
            ${tree(n.children)}
          </li>`,
        )}
      </ul>`

const dayOf = (tUs: number): string => (tUs / 86_400_000_000).toFixed(4)

export class FlowInspector extends LitElement {
  static override properties = {
    flows: { attribute: false },
    steps: { attribute: false },
    selected: { type: String },
  }
  declare flows: ReadonlyArray<FlowSummary>
  declare steps: ReadonlyArray<FlowStep> | null
  declare selected: string

  constructor() {
    super()
    this.flows = []
    this.steps = null
    this.selected = ""
  }

  static override styles = css`
    :host { display: grid; grid-template-columns: 220px 1fr; gap: 8px; background: #fff; border-radius: 6px; padding: 8px; }
    .list { max-height: 420px; overflow: auto; font-size: 13px; }
    .list button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 3px 4px; cursor: pointer; }
    .list button.on { background: #e8f1ff; }
    .list button.bad { color: #a31515; }
    .steps { max-height: 420px; overflow: auto; font-size: 12px; }
    .step { border-bottom: 1px solid #eef0f4; padding: 4px 0; }
    .hop { color: #4a78c2; }
    .hex { font-family: ui-monospace, monospace; word-break: break-all; color: #444; }
    .tag { font-family: ui-monospace, monospace; font-weight: 600; }
    .name { color: #2e6b3a; }
    ul.tlv { margin: 2px 0 2px 0; padding-left: 16px; }
    code { font-family: ui-monospace, monospace; }
    .plain { border-left: 3px solid #8bc49a; padding-left: 6px; margin: 2px 0; }
  `

  private pick(flow: string): void {
    this.dispatchEvent(new CustomEvent("inspect", { detail: flow, bubbles: true, composed: true }))
  }

  private renderStep(s: FlowStep) {
    const a = s.apdu
    return html`<div class="step" data-step=${s.index}>
      <div><b>${s.from} → ${s.to}</b> <span class="hop">${s.label}</span> <small>day ${dayOf(s.tUs)}</small></div>
      ${
        a === undefined
          ? nothing
          : html`<div class="apdu" data-apdu=${a.commandName}>
              <div><code>${a.header}</code> ${a.commandName} → SW <code>${a.sw}</code></div>
              <div class="hex">C: ${a.command}</div>
              ${tree(a.commandTlv)}
              ${
                a.plain === undefined
                  ? nothing
                  : html`<div class="plain" data-format=${a.plain.format}>
                      <div class="hex">plaintext before wrapping (${a.plain.format}): ${a.plain.command}</div>
                      ${tree(a.plain.tree)}
                    </div>`
              }
              <div class="hex">R: ${a.response}</div>
              ${tree(a.responseTlv)}
            </div>`
      }
    </div>`
  }

  override render() {
    return html`<div class="list" role="listbox" aria-label="flows">
        ${this.flows.length === 0 ? html`<i>no traced flow yet</i>` : nothing}
        ${this.flows.map(
          (f) => html`<button
            class="${f.key === this.selected ? "on" : ""} ${f.ok ? "" : "bad"}"
            data-flow=${f.key}
            @click=${() => this.pick(f.key)}
          >${f.label} · ${f.steps} msgs</button>`,
        )}
      </div>
      <div class="steps">
        ${this.steps === null ? html`<i>pick a flow</i>` : this.steps.filter((s) => s !== undefined).map((s) => this.renderStep(s))}
      </div>`
  }
}
customElements.define("flow-inspector", FlowInspector)
