/**
 * `<sequence-chart>`: one flow's messages as a sequence diagram (issue #15 item 5): a column per
 * party in the order the flow first reaches it, a row per message in time order, an arrow from
 * sender to receiver labelled with the message, and at the left its simulated time (to the
 * millisecond) and its duration where the run models one, or else the time since the flow's
 * previous message. A byte-level card's OTA steps show as the run charged them (#13's OTA model):
 * each step's script delivered over the bearer (one row, the plan's time × the latency factor in
 * force), then each APDU of the script with the SE's time. The card's time is a span on the SE's
 * lifeline, summed up above the brackets on the right: the deliveries and each card-story step,
 * each with its duration. A failed exchange — a card's status word other than 9000/61xx, or the
 * last message of a flow that did not succeed — is drawn
 * red. Clicking a row emits `step` so the inspector can show that message's bytes.
 * Properties: `steps` (FlowStep[]), `ok` (the flow succeeded), `epochUs`, `lastIndex` (the flow's
 * last message), `card` (the flow's CardSpan or null). Events: `step` (detail: index).
 */
import { css, html, LitElement, nothing, svg } from "lit"
import type { CardSpan, FlowStep } from "../../model/signals/flow.ts"
import { cardSpanText, failedStep, gapText, stepGroups } from "./sequence-text.ts"

const COL_W = 120
const ROW_H = 24
const TOP = 34
const LEFT = 226
/** The right-hand margin for the card's step brackets. */
const RIGHT_W = 340

const timeText = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().replace("T", " ").slice(0, 23)

export class SequenceChart extends LitElement {
  static override properties = {
    steps: { attribute: false },
    ok: { type: Boolean },
    epochUs: { type: Number },
    lastIndex: { type: Number },
    card: { attribute: false },
  }
  declare steps: ReadonlyArray<FlowStep>
  declare ok: boolean
  declare epochUs: number
  /** The index of the flow's last message (the chart may show a party's messages only). */
  declare lastIndex: number
  declare card: CardSpan | null

  constructor() {
    super()
    this.steps = []
    this.ok = true
    this.epochUs = 0
    this.lastIndex = -1
    this.card = null
  }

  static override styles = css`
    :host { display: block; overflow: auto; max-height: 460px; }
    svg { background: #fff; }
    text { font: 11px system-ui, sans-serif; fill: #1d2330; }
    .party { font-weight: 600; text-anchor: middle; }
    .lifeline { stroke: #d4dae4; stroke-dasharray: 3 3; }
    .msg line { stroke: #4a78c2; stroke-width: 1.4; marker-end: url(#seq-arrow); }
    .msg.failed line { stroke: #c0392b; stroke-width: 2.2; marker-end: url(#seq-arrow-red); }
    .msg.failed text.label { fill: #a31515; font-weight: 600; }
    .msg { cursor: pointer; } .msg:hover rect { fill: #f1f5fb; }
    .msg rect { fill: transparent; }
    .time, .dur { fill: #5b6578; font-variant-numeric: tabular-nums; }
    .dur.card { fill: #a05a00; font-weight: 600; }
    .card-span { fill: #f5a623; fill-opacity: 0.35; stroke: #c77c00; }
    .bracket { stroke: #c77c00; stroke-width: 1.5; fill: none; }
    .bracket-label, .card-label { fill: #7a4a00; }
    .card-label { font-weight: 600; }
  `

  private pick(index: number): void {
    this.dispatchEvent(new CustomEvent("step", { detail: index, bubbles: true, composed: true }))
  }

  /** The card's session on the SE's lifeline and its steps' brackets, over the APDU rows shown. */
  private cardParts(steps: ReadonlyArray<FlowStep>, seX: number, right: number) {
    const groups = stepGroups(steps)
    if (groups.length === 0) return nothing
    const y0 = TOP + groups[0]!.first * ROW_H + 2
    const y1 = TOP + (groups.at(-1)!.last + 1) * ROW_H - 2
    const [head, tail] = this.card === null ? ["card time", ""] : cardSpanText(this.card)
    return svg`<g class="card" data-card-us=${this.card?.durationUs ?? ""}>
      <rect class="card-span" x=${seX - 5} y=${y0} width="10" height=${y1 - y0}><title>${head}${tail}</title></rect>
      <text class="card-label" x=${right + 8} y=${y0 - 20}><tspan>${head}</tspan><tspan x=${right + 8} dy="13">${tail}</tspan></text>
      ${groups.map((g) => {
        const top = TOP + g.first * ROW_H + 4
        const bottom = TOP + (g.last + 1) * ROW_H - 4
        return svg`<g class="step-group" data-duration-us=${g.durationUs}>
          <path class="bracket" d="M${right + 4},${top} h6 V${bottom} h-6"></path>
          <text class="bracket-label" x=${right + 16} y=${(top + bottom) / 2 + 4}>${g.label.slice(0, 28)} · ${gapText(g.durationUs)}</text>
        </g>`
      })}
    </g>`
  }

  override render() {
    const steps = this.steps
    const columns: string[] = []
    for (const s of steps) for (const p of [s.from, s.to]) if (!columns.includes(p)) columns.push(p)
    const x = (p: string) => LEFT + columns.indexOf(p) * COL_W + COL_W / 2
    const right = LEFT + columns.length * COL_W
    const hasCard = steps.some((s) => s.apdu !== undefined && s.durationUs !== undefined)
    const width = right + (hasCard ? RIGHT_W : 0)
    const height = TOP + steps.length * ROW_H + 8
    const rows = steps.map((s, i) => {
      const y = TOP + i * ROW_H + ROW_H / 2
      const x1 = x(s.from)
      const x2 = s.from === s.to ? x1 + 30 : x(s.to)
      const failed = failedStep(s, s.index === this.lastIndex, this.ok)
      const gap = i === 0 ? "start" : `+${gapText(s.tUs - steps[i - 1]!.tUs)}`
      const dur = s.durationUs === undefined ? gap : gapText(s.durationUs)
      const label = s.apdu === undefined ? s.label : `${s.apdu.commandName} → ${s.apdu.sw}`
      return svg`<g class="msg ${failed ? "failed" : ""}" data-row=${s.index} data-failed=${failed}
          data-t-us=${s.tUs} data-duration-us=${s.durationUs ?? ""}
          data-delivery=${s.apdu === undefined && s.durationUs !== undefined} @click=${() => this.pick(s.index)}>
        <rect x="0" y=${y - ROW_H / 2} width=${width} height=${ROW_H}></rect>
        <text class="time" x="4" y=${y + 4}>${timeText(this.epochUs, s.tUs).slice(5)}</text>
        <text class="dur ${s.durationUs === undefined ? "" : "card"}" x="160" y=${y + 4}>${dur}</text>
        <line x1=${x1} y1=${y} x2=${x2 > x1 ? x2 - 2 : x2 + 2} y2=${y}></line>
        <text class="label" x=${Math.min(x1, x2) + 6} y=${y - 4}>${label.slice(0, 40)}</text>
        <title>${s.from} → ${s.to}: ${s.label} at ${timeText(this.epochUs, s.tUs)} (${s.durationUs === undefined ? gap : `took ${dur}`})</title>
      </g>`
    })
    return html`<svg width=${width} height=${height} role="img" aria-label="sequence chart">
      <defs>
        <marker id="seq-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#4a78c2"></path></marker>
        <marker id="seq-arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"></path></marker>
      </defs>
      <text class="party" x="60" y="16">time (UTC)</text><text class="party" x="186" y="16">took / +since</text>
      ${columns.map(
        (p) => svg`<text class="party" data-column=${p} x=${x(p)} y="16">${p}</text>
          <line class="lifeline" x1=${x(p)} y1="22" x2=${x(p)} y2=${height}></line>`,
      )}
      ${hasCard ? this.cardParts(steps, x("se"), right) : nothing}
      ${rows}
    </svg>`
  }
}
customElements.define("sequence-chart", SequenceChart)
