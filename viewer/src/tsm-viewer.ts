/**
 * `<tsm-viewer>`: the viewer's shell. It owns the view state, the live connection (a reactive
 * controller) and the replay path, and lays out the panels: run controls, topology, KPIs, charts,
 * fault injection and the flow inspector. Live and replayed runs share the same fold and panels.
 */
import { css, html, LitElement, nothing } from "lit"
import type { Kpi } from "../../model/signals/kpi.ts"
import type { Command, ServerMessage } from "../../sim/server/protocol.ts"
import type { RefineRequest } from "./chart-refine.ts"
import "./fault-panel.ts"
import "./flow-inspector.ts"
import "./kpi-detail.ts"
import "./kpi-panel.ts"
import "./party-panel.ts"
import { defaultWsUrl, LiveConnection } from "./live-connection.ts"
import { parseRunFile, runFileText } from "./replay-file.ts"
import "./replay-controls.ts"
import { ReplayPlayer } from "./replay-player.ts"
import "./run-controls.ts"
import "./series-chart.ts"
import "./fault-list.ts"
import "./topology-panel.ts"
import { activeFaults, applyServerMessage, emptyState, type Series, type ViewState } from "./view-state.ts"

export class TsmViewer extends LitElement {
  static override properties = {
    state: { attribute: false },
    selected: { state: true },
    party: { state: true },
    kpi: { state: true },
    version: { state: true },
  }
  declare state: ViewState
  declare selected: string
  /** The party whose drill-down panel is open; "" for none. */
  declare party: string
  /** The KPI whose drill-down panel is open; "" for none. */
  declare kpi: string
  /** Bumped on every fold, so panels re-render from the mutated state. */
  declare version: number

  constructor() {
    super()
    this.state = emptyState()
    this.selected = ""
    this.party = ""
    this.kpi = ""
    this.version = 0
  }
  private readonly connection = new LiveConnection(this, defaultWsUrl())

  static override styles = css`
    :host { display: grid; gap: 10px; padding: 10px; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
    header { grid-column: 1 / -1; display: flex; gap: 12px; align-items: baseline; }
    h1 { font-size: 18px; margin: 0; }
    .status { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #dde3ee; }
    .status.live { background: #d4f5dc; }
    .status.replay { background: #e9ddff; }
    run-controls, replay-controls, .wide { grid-column: 1 / -1; }
    section { display: grid; gap: 6px; align-content: start; }
    h2 { font-size: 14px; margin: 4px 0; }
    .error { color: #a31515; font-size: 12px; }
    .charts { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
    .counters { font-size: 12px; color: #555; }
    .hint { font-weight: normal; color: #777; font-size: 12px; }
    topology-panel { max-width: 1500px; }
  `

  /** The last live frame's wall instant (ms) and simulated instant (µs), for the measured rate. */
  private lastFrame: { wallMs: number; tUs: number } | null = null
  private daysPerSecond: number | null = null

  private measureRate(message: ServerMessage): void {
    if (message.type !== "frame") return
    const wallMs = performance.now()
    const last = this.lastFrame
    this.lastFrame = { wallMs, tUs: message.progress.tUs }
    if (last === null || wallMs - last.wallMs < 50 || message.snapshot) return
    const rate = (message.progress.tUs - last.tUs) / 86_400e6 / ((wallMs - last.wallMs) / 1000)
    // A moving average over about a second of frames: steady enough to read, quick to follow.
    this.daysPerSecond = this.daysPerSecond === null ? rate : 0.8 * this.daysPerSecond + 0.2 * rate
  }

  onServerMessage(message: ServerMessage): void {
    if (this.state.connection === "replay") return
    this.measureRate(message)
    const next = applyServerMessage(this.state, message)
    if (next !== this.state) {
      this.selected = ""
      this.party = ""
      this.kpi = ""
    }
    // The "why" changes when a target is judged: ask again once the run is done.
    if (
      message.type === "frame" &&
      message.progress.state === "done" &&
      this.state.progress?.state !== "done"
    )
      this.explainOpenKpi()
    this.state = next
    this.version++
  }

  onConnectionChange(state: "connecting" | "live" | "closed", reason?: string): void {
    if (this.state.connection === "replay") return
    this.state.connection = state
    if (state === "closed" && reason !== undefined) this.state.lastError = `connection closed: ${reason}`
    this.version++
  }

  private command(command: Command): void {
    this.connection.send(command)
  }

  private player: ReplayPlayer | null = null
  private lastTick = 0

  /** Replays a recorded run file (plain or gzip NDJSON) from its start, paused. */
  private async replay(bytes: Uint8Array): Promise<void> {
    this.connection.stop()
    this.player = new ReplayPlayer(parseRunFile(await runFileText(bytes)))
    this.state = this.player.state
    this.selected = ""
    this.version++
  }

  private playerTick = (now: number): void => {
    const p = this.player
    if (p === null || !p.playing) return
    p.tick(now - this.lastTick)
    this.lastTick = now
    this.state = p.state
    this.version++
    requestAnimationFrame(this.playerTick)
  }

  private replayCommand(kind: "play" | "pause" | "seek" | "speed", value?: number): void {
    const p = this.player
    if (p === null) return
    if (kind === "play") {
      if (p.tUs >= p.endUs) p.seek(0)
      p.playing = true
      this.lastTick = performance.now()
      requestAnimationFrame(this.playerTick)
    } else if (kind === "pause") p.playing = false
    else if (kind === "seek") p.seek(value ?? 0)
    else p.speed = value ?? p.speed
    this.state = p.state
    this.version++
  }

  /** A chart zoomed below its buckets asks for the span at full resolution (chart-refine.ts). */
  private refine = (e: Event): void => {
    const r = (e as CustomEvent<RefineRequest>).detail
    if (this.state.connection !== "live") return
    this.connection.send({ type: "window", ...r, fields: [...r.fields] })
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.addEventListener("refine", this.refine)
    // `?replay=URL` plays a run file the page can fetch (tsm-twin replay serves one).
    const url = new URLSearchParams(location.search).get("replay")
    if (url !== null)
      fetch(url)
        .then((r) => r.arrayBuffer())
        .then((b) => this.replay(new Uint8Array(b)))
        .catch((e: unknown) => {
          this.state.lastError = `cannot load ${url}: ${String(e)}`
          this.version++
        })
  }

  private inspect(flow: string): void {
    this.selected = flow
    if (this.state.connection === "live" && !this.state.flowDetails.has(flow))
      this.command({ type: "inspect", flow })
  }

  private chart(series: Series, heading: string, targets: Kpi["targets"] | null) {
    const s = this.state
    return html`<series-chart
      .series=${series}
      .samples=${series.samples}
      .refined=${series.refined}
      .epochUs=${s.run?.epochUs ?? 0}
      .nowUs=${s.progress?.tUs ?? 0}
      .faults=${[...s.faultWindows.values()]}
      .targets=${targets}
      .heading=${heading}
    ></series-chart>`
  }

  private explainOpenKpi(): void {
    if (this.kpi !== "" && this.state.connection === "live") this.command({ type: "explain", kpi: this.kpi })
  }

  private openKpi(key: string): void {
    this.kpi = this.kpi === key ? "" : key
    this.state.explanations.delete(key)
    this.explainOpenKpi()
  }

  private kpiDetail() {
    const s = this.state
    const kpi = s.kpis.get(this.kpi)
    if (kpi === undefined) return nothing
    return html`<kpi-detail
      .kpi=${kpi}
      .series=${s.series.get(`kpi:${kpi.key}`) ?? null}
      .paragraphs=${s.explanations.get(kpi.key) ?? null}
      .faults=${[...s.faultWindows.values()]}
      .epochUs=${s.run?.epochUs ?? 0}
      .nowUs=${s.progress?.tUs ?? 0}
      @explain=${() => {
        s.explanations.delete(kpi.key)
        this.explainOpenKpi()
        this.version++
      }}
      @close=${() => {
        this.kpi = ""
      }}
    ></kpi-detail>`
  }

  private partyPanel() {
    const s = this.state
    const party = s.parties.get(this.party)
    if (party === undefined) return nothing
    return html`<party-panel
      .party=${party}
      .history=${s.partyHistory.get(this.party) ?? null}
      .latency=${s.latency}
      .faults=${[...s.faultWindows.values()]}
      .epochUs=${s.run?.epochUs ?? 0}
      .nowUs=${s.progress?.tUs ?? 0}
      @close=${() => {
        this.party = ""
      }}
    ></party-panel>`
  }

  override render() {
    const s = this.state
    const live = s.connection === "live"
    return html`
      <header>
        <h1>tsm-twin viewer</h1>
        <span class="status ${s.connection}" id="connection">${s.connection}</span>
        <span id="scenario-title">${s.run?.title ?? ""}</span>
        ${s.lastError === null ? nothing : html`<span class="error" id="last-error">${s.lastError}</span>`}
      </header>
      <run-controls
        .run=${s.run}
        .progress=${s.progress}
        .digest=${s.digest}
        .scenarios=${s.scenarios}
        .daysPerSecond=${this.daysPerSecond}
        ?live=${live}
        @command=${(e: CustomEvent<Command>) => this.command(e.detail)}
        @replay=${(e: CustomEvent<Uint8Array>) => void this.replay(e.detail)}
      ></run-controls>
      ${
        this.player === null
          ? nothing
          : html`<replay-controls
              .tUs=${this.player.tUs}
              .endUs=${this.player.endUs}
              .epochUs=${this.player.run?.epochUs ?? 0}
              .speed=${this.player.speed}
              ?playing=${this.player.playing}
              @play=${() => this.replayCommand("play")}
              @pause=${() => this.replayCommand("pause")}
              @seek=${(e: CustomEvent<number>) => this.replayCommand("seek", e.detail)}
              @speed=${(e: CustomEvent<number>) => this.replayCommand("speed", e.detail)}
            ></replay-controls>`
      }
      <section class="wide" id="topology">
        <h2>Topology <small class="hint">click a party for its panel</small></h2>
        <topology-panel
          .parties=${[...s.parties.values()]}
          .selected=${this.party}
          @party=${(e: CustomEvent<string>) => {
            this.party = this.party === e.detail ? "" : e.detail
          }}
        ></topology-panel>
        ${this.partyPanel()}
      </section>
      <section>
        <h2>Faults</h2>
        <fault-panel .faults=${s.faults} ?disabled=${!live} @inject=${(e: CustomEvent<string>) => this.command({ type: "inject", fault: e.detail })}></fault-panel>
        <fault-list
          .active=${activeFaults(s, s.progress?.tUs ?? 0)}
          .windows=${[...s.faultWindows.values()]}
          .log=${s.commandLog}
          .epochUs=${s.run?.epochUs ?? 0}
        ></fault-list>
      </section>
      <section>
        <h2>KPIs against the phase targets</h2>
        <kpi-panel .kpis=${[...s.kpis.values()]} ?ended=${s.progress?.state === "done"} @kpi=${(e: CustomEvent<string>) => this.openKpi(e.detail)}></kpi-panel>
        ${this.kpiDetail()}
      </section>
      <section class="wide charts" id="kpi-charts">
        ${[...s.kpis.values()].map((kpi) => {
          const series = s.series.get(`kpi:${kpi.key}`)
          return series === undefined ? nothing : this.chart(series, kpi.label, kpi.targets)
        })}
      </section>
      <section class="wide charts" id="charts">
        ${[...s.series.values()].filter((x) => !x.name.startsWith("kpi:")).map((series) => this.chart(series, "", null))}
      </section>
      <div class="wide counters" id="counters">
        frames ${s.frames.toLocaleString("en")} · records left out by the server's bounds
        <b id="dropped">${s.dropped.toLocaleString("en")}</b> · undecodable records ${s.badRecords}
      </div>
      <section class="wide">
        <h2>Flow inspector</h2>
        <flow-inspector
          .flows=${s.flows}
          .steps=${this.selected === "" ? null : (s.flowDetails.get(this.selected) ?? [])}
          .selected=${this.selected}
          .epochUs=${s.run?.epochUs ?? 0}
          @inspect=${(e: CustomEvent<string>) => this.inspect(e.detail)}
        ></flow-inspector>
      </section>
    `
  }
}
customElements.define("tsm-viewer", TsmViewer)
