/**
 * `<party-panel>`: one party's drill-down, opened by clicking it on the topology (issue #15 item 3):
 * its waiting line, busy servers, utilisation and throughput now; its errors by cause (refused —
 * a full line, an outage, a failed OTA session — and timed out); its mean wait where the party
 * measures one; the issuances' latency percentiles from the world's histograms; its utilisation,
 * waiting line and throughput over time (party-history.ts) with the run's fault windows as bands;
 * and its recent events, newest first.
 * Properties: `party` (PartyLoad), `history` (PartyHistory), `latency` (IssuanceLatency | null),
 * `faults` (FaultWindow[]), `epochUs`, `nowUs`. Events: `close`.
 */
import { css, html, LitElement, nothing } from "lit"
import type { FaultWindow } from "../../model/signals/fault-window.ts"
import type { IssuanceLatency } from "../../model/signals/issuance-latency.ts"
import type { PartyLoad } from "../../model/signals/party-load.ts"
import type { PartyHistory } from "./party-history.ts"
import "./series-chart.ts"
import { rateText, utilisationText } from "./topology-panel-text.ts"

const when = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().replace("T", " ").slice(0, 16)

/** 90 s → "1.5 min"; 5.2 h → "5.2 h": a latency in the unit that reads best. */
export const durationText = (us: number): string => {
  const s = us / 1e6
  if (s < 1) return `${Math.round(us / 1000)} ms`
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`
  if (s < 7200) return `${(s / 60).toFixed(1)} min`
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`
  return `${(s / 86_400).toFixed(1)} d`
}

export class PartyPanel extends LitElement {
  static override properties = {
    party: { attribute: false },
    history: { attribute: false },
    latency: { attribute: false },
    faults: { attribute: false },
    epochUs: { type: Number },
    nowUs: { type: Number },
  }
  declare party: PartyLoad | null
  declare history: PartyHistory | null
  declare latency: IssuanceLatency | null
  declare faults: ReadonlyArray<FaultWindow>
  declare epochUs: number
  declare nowUs: number

  constructor() {
    super()
    this.party = null
    this.history = null
    this.latency = null
    this.faults = []
    this.epochUs = 0
    this.nowUs = 0
  }

  static override styles = css`
    :host { display: block; background: #fff; border-radius: 6px; padding: 8px; font-size: 12px; border: 2px solid #4a78c2; }
    header { display: flex; justify-content: space-between; align-items: baseline; }
    h3 { margin: 0; font-size: 14px; } h4 { margin: 6px 0 2px; font-size: 12px; }
    table { border-collapse: collapse; } td, th { padding: 1px 8px 1px 0; text-align: left; font-variant-numeric: tabular-nums; }
    th { font-weight: 600; color: #444; }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }
    ul { margin: 0; padding-left: 16px; } .outage, .errors { color: #a93226; } .degraded { color: #b9770e; } .none { color: #777; }
  `

  private close(): void {
    this.dispatchEvent(new CustomEvent("close", { bubbles: true, composed: true }))
  }

  private figures(p: PartyLoad) {
    return html`<table id="party-figures">
      <tr><th>state</th><td id="party-state">${p.down ? "OUTAGE" : p.degraded ? "degraded" : "up"}</td></tr>
      <tr><th>waiting line</th><td id="party-queue">${p.queueDepth}</td></tr>
      <tr><th>busy servers</th><td>${p.capacity === 0 && !p.down ? "none of its own" : `${p.busy} of ${p.capacity}`}</td></tr>
      <tr><th>utilisation</th><td id="party-utilisation">${utilisationText(p)} (last interval)</td></tr>
      <tr><th>throughput</th><td id="party-throughput">${rateText(p.throughputPerDay ?? 0)}</td></tr>
      ${p.waitUsMean === undefined ? nothing : html`<tr><th>mean wait</th><td>${durationText(p.waitUsMean)}</td></tr>`}
      <tr><th>errors by cause</th><td id="party-errors">refused ${p.refused ?? p.errors} · timed out ${p.timedOut ?? 0}${Object.entries(
        p.causes ?? {},
      ).map(([cause, n]) => ` · ${cause} ${n}`)}</td></tr>
    </table>`
  }

  private latencyTable() {
    const paths = this.latency?.paths ?? []
    if (paths.length === 0) return nothing
    return html`<h4>Issuance latency, end to end (the world's histograms)</h4>
      <table id="party-latency"><tr><th>path</th><th>n</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>
      ${paths.map(
        (l) => html`<tr><td>${l.path}</td><td>${l.count}</td><td>${durationText(l.p50Us)}</td>
          <td>${durationText(l.p95Us)}</td><td>${durationText(l.p99Us)}</td><td>${durationText(l.maxUs)}</td></tr>`,
      )}</table>`
  }

  private chart(h: PartyHistory, which: "load" | "flow", heading: string) {
    const series = h[which]
    return html`<series-chart .series=${series} .samples=${series.samples} .epochUs=${this.epochUs}
      .nowUs=${this.nowUs} .faults=${this.faults} .heading=${heading}></series-chart>`
  }

  override render() {
    const p = this.party
    const h = this.history
    if (p === null) return nothing
    return html`<header><h3 id="party-title">${p.label}</h3><button id="party-close" @click=${() => this.close()}>close</button></header>
      ${this.figures(p)}
      ${this.latencyTable()}
      ${
        h === null
          ? nothing
          : html`<div class="charts">${this.chart(h, "load", "utilisation and waiting line")}${this.chart(h, "flow", "throughput")}</div>
          <h4>Recent events</h4>
          ${
            h.events.length === 0
              ? html`<div class="none" id="party-no-events">none since this page connected</div>`
              : html`<ul id="party-events">${h.events.map(
                  (e) =>
                    html`<li class=${e.kind}>${when(this.epochUs, e.tUs)}${e.untilUs > e.tUs ? ` → ${when(this.epochUs, e.untilUs)}` : ""}: ${e.text}</li>`,
                )}</ul>`
          }`
      }`
  }
}
customElements.define("party-panel", PartyPanel)
