/**
 * `<topology-panel>`: the parties as boxes in columns by tier, with their live load (waiting line,
 * utilisation, throughput, errors) and edges to whom they send, each edge animated at a pace that
 * grows with its flow rate (the sender's throughput per simulated day; still and grey when nothing
 * flows). Edges within one column bend out to the right of the column so no box hides them, and
 * every edge is drawn over the boxes. A party under an outage is drawn red with the class `down`,
 * a degraded one orange with `degraded`, for as long as the fault window is open.
 * Properties: `parties` (PartyLoad[]), `selected` (a party key or ""). Events: `party` (detail: the
 * clicked party's key).
 */
import { css, html, LitElement, svg } from "lit"
import type { PartyLoad } from "../../model/signals/party-load.ts"
import { rateText, utilisationText } from "./topology-panel-text.ts"

const BOX_W = 170
const BOX_H = 62
const COL_W = 230
const ROW_H = 84

/** Seconds per dash cycle: faster flows move faster, on a log scale so both 10/day and 1 M/day read. */
const dashSeconds = (perDay: number): number => Math.max(0.25, 3 / Math.log10(perDay + 10))

interface Box {
  readonly x: number
  readonly y: number
  readonly tier: number
}

/** A cubic path from a's right side to b: straight-ish across columns, a bend out to the right within one. */
const edgePath = (a: Box, b: Box): string => {
  const ay = a.y + BOX_H / 2
  const by = b.y + BOX_H / 2
  if (a.tier === b.tier) {
    const x = a.x + BOX_W
    const bulge = 40 + Math.abs(by - ay) / 4
    return `M${x},${ay + 8} C${x + bulge},${ay + 8} ${x + bulge},${by - 8} ${x + 4},${by - 8}`
  }
  const forward = b.x > a.x
  const x1 = forward ? a.x + BOX_W : a.x
  const x2 = forward ? b.x : b.x + BOX_W
  if (Math.abs(b.tier - a.tier) <= 1) {
    const dx = (x2 - x1) / 2
    return `M${x1},${ay} C${x1 + dx},${ay} ${x2 - dx},${by} ${x2},${by}`
  }
  // Across a column: down into the corridor under the sender's row, along it past the boxes
  // in between, and up into the receiver, so the edge never runs over a box's text.
  const corridor = a.y + BOX_H + (ROW_H - BOX_H) / 2
  const turn = forward ? 30 : -30
  return `M${x1},${ay} C${x1 + turn},${ay} ${x1 + turn},${corridor} ${x1 + 2 * turn},${corridor} L${x2 - 2 * turn},${corridor} C${x2 - turn},${corridor} ${x2 - turn},${by} ${x2},${by}`
}

export class TopologyPanel extends LitElement {
  static override properties = { parties: { attribute: false }, selected: { type: String } }
  declare parties: ReadonlyArray<PartyLoad>
  declare selected: string

  constructor() {
    super()
    this.parties = []
    this.selected = ""
  }

  static override styles = css`
    :host { display: block; }
    svg { width: 100%; height: auto; background: #fff; border-radius: 6px; }
    .party rect { fill: #e8f1ff; stroke: #4a78c2; stroke-width: 1.5; }
    .party.busy rect { fill: #fff3d6; }
    .party.degraded rect { fill: #ffd9a8; stroke: #d9822b; }
    .party.down rect { fill: #ffb3b3; stroke: #c0392b; stroke-width: 3; }
    .party.selected rect { stroke: #1d2330; stroke-width: 3; }
    .party { cursor: pointer; }
    text { font: 12px system-ui, sans-serif; fill: #1d2330; }
    .label { font-weight: 600; }
    path.edge { fill: none; stroke: #4a78c2; stroke-opacity: 0.75; marker-end: url(#arrow); stroke-dasharray: 7 5; animation: flow linear infinite; }
    path.edge.idle { stroke: #b8c0cc; animation: none; }
    path.edge.into-down { stroke: #c0392b; }
    @keyframes flow { to { stroke-dashoffset: -12; } }
  `

  private layout(): Map<string, Box> {
    const rows = new Map<number, number>()
    const at = new Map<string, Box>()
    for (const p of [...this.parties].sort((a, b) => a.tier - b.tier || a.key.localeCompare(b.key))) {
      const row = rows.get(p.tier) ?? 0
      rows.set(p.tier, row + 1)
      at.set(p.key, { x: 10 + p.tier * COL_W, y: 10 + row * ROW_H, tier: p.tier })
    }
    return at
  }

  private edges(at: Map<string, Box>) {
    const byKey = new Map(this.parties.map((p) => [p.key, p]))
    return this.parties.flatMap((p) =>
      p.sendsTo.flatMap((to) => {
        const a = at.get(p.key)
        const b = at.get(to)
        if (a === undefined || b === undefined) return []
        const rate = p.throughputPerDay ?? 0
        const cls = `edge ${rate === 0 ? "idle" : ""} ${byKey.get(to)?.down ? "into-down" : ""}`
        return [
          svg`<path class=${cls} data-edge="${p.key}>${to}" data-rate=${rate} d=${edgePath(a, b)}
            style="animation-duration: ${dashSeconds(rate)}s; stroke-width: ${1.2 + Math.min(3, Math.log10(rate + 1) / 2)}px"
          ><title>${p.label} → ${byKey.get(to)?.label ?? to}: ${rateText(rate)} (the sender's throughput)</title></path>`,
        ]
      }),
    )
  }

  private pick(key: string): void {
    this.dispatchEvent(new CustomEvent("party", { detail: key, bubbles: true, composed: true }))
  }

  private box(p: PartyLoad, { x, y }: Box) {
    const cls = `party ${p.down ? "down" : ""} ${p.degraded ? "degraded" : ""} ${p.utilisationPermille > 700 ? "busy" : ""} ${p.key === this.selected ? "selected" : ""}`
    const rate = rateText(p.throughputPerDay ?? 0)
    const stats =
      p.capacity === 0 && !p.down
        ? `${rate} · err ${p.errors}`
        : `q ${p.queueDepth} · ${utilisationText(p)} · ${rate}`
    const state = p.down
      ? "OUTAGE"
      : p.degraded
        ? "degraded"
        : p.capacity === 0
          ? "no servers of its own"
          : `${p.busy}/${p.capacity} busy · err ${p.errors}`
    return svg`<g class=${cls} data-party=${p.key} data-throughput=${p.throughputPerDay ?? 0}
        transform="translate(${x},${y})" @click=${() => this.pick(p.key)}>
      <rect width=${BOX_W} height=${BOX_H} rx="6"></rect>
      <text class="label" x="8" y="18">${p.label}</text>
      <text class="stats" x="8" y="36">${stats}</text>
      <text x="8" y="53">${state}</text>
    </g>`
  }

  override render() {
    const at = this.layout()
    // Room on the right of the last column for its own bent edges.
    const width = Math.max(...[...at.values()].map((p) => p.x + BOX_W + 70), 300)
    const height = Math.max(...[...at.values()].map((p) => p.y + BOX_H + 10), 100)
    const boxes = this.parties.map((p) => this.box(p, at.get(p.key)!))
    // No larger than about its natural size: a small network scaled to the full width reads as a poster.
    return html`<svg viewBox="0 0 ${width} ${height}" style="max-width: ${Math.round(width * 1.15)}px" role="img" aria-label="topology">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
        <path d="M0,0 L10,5 L0,10 z" fill="#4a78c2"></path></marker></defs>
      ${boxes}${this.edges(at)}
    </svg>`
  }
}
customElements.define("topology-panel", TopologyPanel)
