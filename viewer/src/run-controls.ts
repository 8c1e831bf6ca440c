/**
 * `<run-controls>`: the run's clock and identity (simulated date, state, events, seed, scenario,
 * SM3 digest) and its controls: pause, resume, step, speed, scenario, restart with a seed, and
 * loading a recorded run file to replay. Properties: `run`, `progress`, `digest`, `scenarios`,
 * `live`. Events: `command` (detail: a protocol Command), `replay` (detail: the file's text).
 */
import { css, html, LitElement, nothing } from "lit"
import type { CatalogueEntry, Command, Progress, RunInfo } from "../../sim/server/protocol.ts"
import "./time-controls.ts"

const SPEEDS: ReadonlyArray<{ label: string; factor: number | null }> = [
  { label: "1 hour/s", factor: 3600 },
  { label: "1 day/s", factor: 86_400 },
  { label: "2 days/s", factor: 172_800 },
  { label: "1 week/s", factor: 604_800 },
  { label: "30 days/s", factor: 2_592_000 },
  { label: "as fast as possible", factor: null },
]

/** The option in force: the progress's speed (null = as fast as possible); 1 week/s before any. */
const isInForce = (factor: number | null, progress: Progress | null): boolean =>
  factor === (progress === null ? 604_800 : progress.speed)

/** "12.5 simulated days per second", as measured from the frames (tsm-viewer.ts). */
const rateText = (daysPerSecond: number | null): string =>
  daysPerSecond === null
    ? ""
    : `${daysPerSecond >= 10 ? Math.round(daysPerSecond) : daysPerSecond.toFixed(daysPerSecond >= 1 ? 1 : 2)} sim days/s`

export class RunControls extends LitElement {
  static override properties = {
    run: { attribute: false },
    progress: { attribute: false },
    digest: { attribute: false },
    scenarios: { attribute: false },
    live: { type: Boolean },
    daysPerSecond: { attribute: false },
  }
  declare run: RunInfo | null
  declare progress: Progress | null
  declare digest: string | null
  declare scenarios: ReadonlyArray<CatalogueEntry>
  declare live: boolean
  /** Simulated days per wall second, measured; null until two frames have come. */
  declare daysPerSecond: number | null

  constructor() {
    super()
    this.run = null
    this.progress = null
    this.digest = null
    this.scenarios = []
    this.live = false
    this.daysPerSecond = null
  }

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; background: #fff; border-radius: 6px; padding: 8px; font-size: 13px; }
    .clock { font-weight: 600; font-variant-numeric: tabular-nums; }
    code { font-family: ui-monospace, monospace; font-size: 11px; }
    input[type="number"] { width: 90px; }
  `

  private send(command: Command): void {
    this.dispatchEvent(new CustomEvent("command", { detail: command, bubbles: true, composed: true }))
  }

  private async loadFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0]
    if (file === undefined) return
    this.dispatchEvent(
      new CustomEvent("replay", {
        detail: new Uint8Array(await file.arrayBuffer()),
        bubbles: true,
        composed: true,
      }),
    )
  }

  private date(): string {
    if (this.run === null || this.progress === null) return "—"
    return new Date((this.run.epochUs + this.progress.tUs) / 1000)
      .toISOString()
      .replace("T", " ")
      .slice(0, 16)
  }

  private controls() {
    const seedInput = () => this.renderRoot.querySelector<HTMLInputElement>("#seed")
    return html`
      <button id="pause" @click=${() => this.send({ type: "pause" })}>pause</button>
      <button id="resume" @click=${() => this.send({ type: "resume" })}>resume</button>
      <button id="step" @click=${() => this.send({ type: "step", events: 1000 })}>step 1000</button>
      <time-controls .run=${this.run} .nowUs=${this.progress?.tUs ?? 0}></time-controls>
      <label>speed <select id="speed" @change=${(e: Event) => {
        const factor = SPEEDS[Number((e.target as HTMLSelectElement).value)]!.factor
        this.send({ type: "speed", factor })
      }}>${SPEEDS.map((s, i) => html`<option value=${i} ?selected=${isInForce(s.factor, this.progress)}>${s.label}</option>`)}</select></label>
      <label>scenario <select id="scenario" @change=${(e: Event) =>
        this.send({ type: "scenario", scenario: (e.target as HTMLSelectElement).value })}>
        ${this.scenarios.map((s) => html`<option value=${s.id} title=${s.title} ?selected=${s.id === this.run?.scenario}>${s.id}</option>`)}
      </select></label>
      <label>seed <input id="seed" type="number" min="0" .value=${String(this.run?.seed ?? 1)} /></label>
      <button id="restart" @click=${() => this.send({ type: "restart", seed: Math.max(0, Math.floor(Number(seedInput()?.value ?? 1))) })}>restart</button>`
  }

  override render() {
    const p = this.progress
    return html`
      <span class="clock" id="clock" data-tus=${p?.tUs ?? 0}>${this.date()}</span>
      <span id="state">${p?.state ?? "—"}</span>
      <span>${p === null ? "" : `${p.events.toLocaleString("en")} events`}</span>
      <span>${p === null || p.eventsPerSecond === 0 ? "" : `${Math.round(p.eventsPerSecond).toLocaleString("en")} ev/s`}</span>
      <span id="sim-rate">${p?.state === "running" ? rateText(this.daysPerSecond) : ""}</span>
      ${this.live ? this.controls() : nothing}
      <span>seed <b id="run-seed">${this.run?.seed ?? "—"}</b></span>
      <span>digest <code id="digest">${this.digest ?? (p?.state === "done" ? "—" : "(when the run ends)")}</code></span>
      <label>replay a run file <input id="replay" type="file" accept=".ndjson,.jsonl,.json,.gz" @change=${(e: Event) => this.loadFile(e)} /></label>
    `
  }
}
customElements.define("run-controls", RunControls)
