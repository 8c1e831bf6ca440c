/**
 * `<time-controls>`: run the live run on to a date, to the next fault window's start or to the
 * next traced issuance's end, and pause there (the server pauses at the first run-control boundary
 * where the target is met: app/live/run-to.ts). Properties: `run` (RunInfo), `nowUs`. Events:
 * `command` (detail: a `run-to` Command).
 */
import { css, html, LitElement } from "lit"
import type { Command, RunInfo } from "../../sim/server/protocol.ts"

const US_PER_DAY = 86_400_000_000

/** "2015-07-31" → µs since the run's epoch at that day's midnight (UTC, as the run's dates are). */
export const instantOfDate = (date: string, epochUs: number): number | null => {
  const ms = Date.parse(`${date}T00:00:00Z`)
  return Number.isNaN(ms) ? null : ms * 1000 - epochUs
}

const dateOf = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().slice(0, 10)

export class TimeControls extends LitElement {
  static override properties = { run: { attribute: false }, nowUs: { type: Number } }
  declare run: RunInfo | null
  declare nowUs: number

  constructor() {
    super()
    this.run = null
    this.nowUs = 0
  }

  static override styles = css`:host { display: inline-flex; gap: 6px; align-items: center; }`

  private send(command: Command): void {
    this.dispatchEvent(new CustomEvent("command", { detail: command, bubbles: true, composed: true }))
  }

  private runToDate(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>("#run-to-date")
    const tUs = this.run === null || input === null ? null : instantOfDate(input.value, this.run.epochUs)
    if (tUs !== null) this.send({ type: "run-to", until: "instant", tUs: Math.max(0, tUs) })
  }

  override render() {
    const r = this.run
    const next =
      r === null
        ? ""
        : dateOf(r.epochUs, Math.min(r.endUs, (Math.floor(this.nowUs / US_PER_DAY) + 30) * US_PER_DAY))
    return html`<label>run to <input id="run-to-date" type="date" value=${next}
        min=${r === null ? "" : dateOf(r.epochUs, 0)} max=${r === null ? "" : dateOf(r.epochUs, r.endUs)} /></label>
      <button id="run-to" @click=${() => this.runToDate()}>go</button>
      <button id="next-fault" title="run on and pause once the next fault window has begun"
        @click=${() => this.send({ type: "run-to", until: "fault" })}>next fault</button>
      <button id="next-issuance" title="run on and pause once the next traced issuance has ended"
        @click=${() => this.send({ type: "run-to", until: "issuance" })}>next traced issuance</button>`
  }
}
customElements.define("time-controls", TimeControls)
