/**
 * `<replay-controls>`: play, pause, speed and a scrub bar over a recorded run (replay-player.ts).
 * Events: `play`, `pause` (no detail), `seek` (detail: µs), `speed` (detail: simulated s per s).
 * Properties: `tUs`, `endUs`, `epochUs`, `playing`, `speed`.
 */
import { css, html, LitElement } from "lit"

const SPEEDS = [
  { label: "1 day/s", factor: 86_400 },
  { label: "1 week/s", factor: 604_800 },
  { label: "30 days/s", factor: 2_592_000 },
  { label: "90 days/s", factor: 7_776_000 },
  { label: "1 year/s", factor: 31_536_000 },
]

export class ReplayControls extends LitElement {
  static override properties = {
    tUs: { type: Number },
    endUs: { type: Number },
    epochUs: { type: Number },
    playing: { type: Boolean },
    speed: { type: Number },
  }
  declare tUs: number
  declare endUs: number
  declare epochUs: number
  declare playing: boolean
  declare speed: number

  constructor() {
    super()
    this.tUs = 0
    this.endUs = 0
    this.epochUs = 0
    this.playing = false
    this.speed = 2_592_000
  }

  static override styles = css`
    :host { display: flex; gap: 10px; align-items: center; background: #efe9ff; border-radius: 6px; padding: 6px 8px; font-size: 13px; }
    input[type="range"] { flex: 1; }
  `

  private emit(name: string, detail?: number): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }))
  }

  private date(tUs: number): string {
    return new Date((this.epochUs + tUs) / 1000).toISOString().slice(0, 10)
  }

  override render() {
    return html`
      <b>replay</b>
      <button id="play" @click=${() => this.emit(this.playing ? "pause" : "play")}>${this.playing ? "pause" : "play"}</button>
      <label>speed <select id="replay-speed" @change=${(e: Event) => this.emit("speed", SPEEDS[Number((e.target as HTMLSelectElement).value)]!.factor)}>
        ${SPEEDS.map((s, i) => html`<option value=${i} ?selected=${s.factor === this.speed}>${s.label}</option>`)}
      </select></label>
      <span>${this.date(0)}</span>
      <input id="scrub" type="range" min="0" max=${this.endUs} step="any"
        .value=${String(this.tUs)} @input=${(e: Event) => this.emit("seek", Number((e.target as HTMLInputElement).value))} />
      <span id="replay-date">${this.date(this.tUs)}</span> / <span>${this.date(this.endUs)}</span>
    `
  }
}
customElements.define("replay-controls", ReplayControls)
