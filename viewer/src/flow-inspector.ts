/**
 * `<flow-inspector>`: the traced issuances and transactions, filtered by outcome; picking one shows
 * its messages as a sequence chart across parties (sequence-chart.ts: simulated times, the gaps
 * between messages, failures in red), filtered by party, and below it each message and, for APDU
 * exchanges with the card, the command and response with their data fields as TLV trees, and a
 * secure-channel command also in plaintext (STORE DATA as DGIs); a row of the chart scrolls to its
 * message. Properties: `flows` (FlowSummary[]), `steps` (FlowStep[] of the chosen flow, or null),
 * `selected` (flow id), `epochUs`. Events: `inspect` (detail: flow id).
 */
import { css, html, LitElement, nothing } from "lit"
import "./sequence-chart.ts"
import type { FlowStep, FlowSummary, TlvNode } from "../../model/signals/flow.ts"
import { failedStep, gapText } from "./sequence-text.ts"

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

const timeOf = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().replace("T", " ").slice(0, 23)

export type OutcomeFilter = "all" | "ok" | "failed"

export class FlowInspector extends LitElement {
  static override properties = {
    flows: { attribute: false },
    steps: { attribute: false },
    selected: { type: String },
    epochUs: { type: Number },
    outcome: { state: true },
    party: { state: true },
  }
  declare flows: ReadonlyArray<FlowSummary>
  declare steps: ReadonlyArray<FlowStep> | null
  declare selected: string
  declare epochUs: number
  /** Which flows the list shows. */
  declare outcome: OutcomeFilter
  /** The party whose messages the chart and list show; "" for all. */
  declare party: string

  constructor() {
    super()
    this.flows = []
    this.steps = null
    this.selected = ""
    this.epochUs = 0
    this.outcome = "all"
    this.party = ""
  }

  static override styles = css`
    :host { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 8px; background: #fff; border-radius: 6px; padding: 8px; }
    .filters { display: flex; gap: 8px; font-size: 12px; margin-bottom: 4px; flex-wrap: wrap; }
    .detail { min-width: 0; }
    .step.failed { background: #fff0f0; } .step.focus { outline: 2px solid #4a78c2; }
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

  private renderStep(s: FlowStep, failed: boolean) {
    const a = s.apdu
    return html`<div class="step ${failed ? "failed" : ""}" data-step=${s.index}>
      <div><b>${s.from} → ${s.to}</b> <span class="hop">${s.label}</span> <small>${timeOf(this.epochUs, s.tUs)}${s.durationUs === undefined ? "" : ` · took ${gapText(s.durationUs)}`}</small></div>
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

  private focusStep(index: number): void {
    const root = this.renderRoot
    for (const e of root.querySelectorAll(".step.focus")) e.classList.remove("focus")
    const el = root.querySelector(`.step[data-step="${index}"]`)
    el?.classList.add("focus")
    el?.scrollIntoView({ block: "nearest" })
  }

  private filters(steps: ReadonlyArray<FlowStep>) {
    const parties = [...new Set(steps.flatMap((s) => [s.from, s.to]))]
    return html`<div class="filters">
      <label>outcome <select id="outcome-filter" @change=${(e: Event) => {
        this.outcome = (e.target as HTMLSelectElement).value as OutcomeFilter
      }}>${(["all", "ok", "failed"] as const).map((o) => html`<option value=${o} ?selected=${o === this.outcome}>${o}</option>`)}</select></label>
      <label>party <select id="party-filter" @change=${(e: Event) => {
        this.party = (e.target as HTMLSelectElement).value
      }}><option value="" ?selected=${this.party === ""}>all</option>${parties.map((p) => html`<option value=${p} ?selected=${p === this.party}>${p}</option>`)}</select></label>
    </div>`
  }

  /**
   * The chosen flow's messages (all, and those the party filter keeps), recomputed only when the
   * flow, its step count or the filter changes: the list above re-renders with every frame, and a
   * new array each time would redraw the sequence chart and every TLV tree ten times a second.
   */
  private cache: { steps: unknown; count: number; party: string; all: FlowStep[]; shown: FlowStep[] } | null =
    null

  private messages(): { all: FlowStep[]; shown: FlowStep[] } {
    const steps = this.steps ?? []
    const c = this.cache
    if (c !== null && c.steps === this.steps && c.count === steps.length && c.party === this.party) return c
    const all = steps.filter((s) => s !== undefined)
    const shown = this.party === "" ? all : all.filter((s) => s.from === this.party || s.to === this.party)
    this.cache = { steps: this.steps, count: steps.length, party: this.party, all, shown }
    return this.cache
  }

  override render() {
    const flows = this.flows.filter((f) => this.outcome === "all" || f.ok === (this.outcome === "ok"))
    const { all, shown } = this.messages()
    const flowOk = this.flows.find((f) => f.key === this.selected)?.ok ?? true
    const last = all.at(-1)
    return html`<div class="list" role="listbox" aria-label="flows">
        ${this.filters(all)}
        ${flows.length === 0 ? html`<i>no traced flow ${this.flows.length === 0 ? "yet" : "with this outcome"}</i>` : nothing}
        ${flows.map(
          (f) => html`<button
            class="${f.key === this.selected ? "on" : ""} ${f.ok ? "" : "bad"}"
            data-flow=${f.key}
            data-ok=${f.ok}
            data-card=${f.card !== undefined}
            @click=${() => this.pick(f.key)}
          >${f.label} · ${f.steps} msgs</button>`,
        )}
      </div>
      <div class="detail">
        ${
          this.steps === null
            ? html`<i>pick a flow</i>`
            : html`<sequence-chart .steps=${shown} .ok=${flowOk} .epochUs=${this.epochUs} .lastIndex=${last?.index ?? -1}
                .card=${this.flows.find((f) => f.key === this.selected)?.card ?? null}
                @step=${(e: CustomEvent<number>) => this.focusStep(e.detail)}></sequence-chart>
              <div class="steps">${shown.map((s) => this.renderStep(s, failedStep(s, s === last, flowOk)))}</div>`
        }
      </div>`
  }
}
customElements.define("flow-inspector", FlowInspector)
