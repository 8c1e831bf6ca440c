/**
 * `<topology-panel>`: the parties as boxes in columns by tier, with their live load (queue depth,
 * utilisation, errors) and edges to whom they send; a party under an outage is drawn red with the
 * class `down`, a degraded one orange with `degraded`. Properties: `parties` (PartyLoad[]).
 */
import { css, html, LitElement, svg } from "lit"
import type { PartyLoad } from "../../model/signals/party-load.ts"

const BOX_W = 170
const BOX_H = 62
const COL_W = 230
const ROW_H = 84

export class TopologyPanel extends LitElement {
  static override properties = { parties: { attribute: false } }
  declare parties: ReadonlyArray<PartyLoad>

  constructor() {
    super()
    this.parties = []
  }

  static override styles = css`
    :host { display: block; }
    svg { width: 100%; height: auto; background: #fff; border-radius: 6px; }
    .party rect { fill: #e8f1ff; stroke: #4a78c2; stroke-width: 1.5; }
    .party.busy rect { fill: #fff3d6; }
    .party.degraded rect { fill: #ffd9a8; stroke: #d9822b; }
    .party.down rect { fill: #ffb3b3; stroke: #c0392b; stroke-width: 3; }
    text { font: 12px system-ui, sans-serif; fill: #1d2330; }
    .label { font-weight: 600; }
    line { stroke: #9aa5b8; stroke-width: 1.5; marker-end: url(#arrow); }
  `

  private layout(): Map<string, { x: number; y: number }> {
    const rows = new Map<number, number>()
    const at = new Map<string, { x: number; y: number }>()
    for (const p of [...this.parties].sort((a, b) => a.tier - b.tier || a.key.localeCompare(b.key))) {
      const row = rows.get(p.tier) ?? 0
      rows.set(p.tier, row + 1)
      at.set(p.key, { x: 10 + p.tier * COL_W, y: 10 + row * ROW_H })
    }
    return at
  }

  override render() {
    const at = this.layout()
    const width = Math.max(...[...at.values()].map((p) => p.x + BOX_W + 10), 300)
    const height = Math.max(...[...at.values()].map((p) => p.y + BOX_H + 10), 100)
    const edges = this.parties.flatMap((p) =>
      p.sendsTo.flatMap((to) => {
        const a = at.get(p.key)
        const b = at.get(to)
        return a === undefined || b === undefined
          ? []
          : [svg`<line x1=${a.x + BOX_W} y1=${a.y + BOX_H / 2} x2=${b.x} y2=${b.y + BOX_H / 2}></line>`]
      }),
    )
    const boxes = this.parties.map((p) => {
      const { x, y } = at.get(p.key)!
      const cls = `party ${p.down ? "down" : ""} ${p.degraded ? "degraded" : ""} ${p.utilisationPermille > 700 ? "busy" : ""}`
      const stats =
        p.capacity === 0 && !p.down
          ? "source"
          : `q ${p.queueDepth} · ${(p.utilisationPermille / 10).toFixed(0)} % · err ${p.errors}`
      return svg`<g class=${cls} data-party=${p.key} transform="translate(${x},${y})">
        <rect width=${BOX_W} height=${BOX_H} rx="6"></rect>
        <text class="label" x="8" y="18">${p.label}</text>
        <text x="8" y="36">${stats}</text>
        <text x="8" y="53">${p.down ? "OUTAGE" : p.degraded ? "degraded" : `${p.busy}/${p.capacity} busy`}</text>
      </g>`
    })
    return html`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="topology">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
        <path d="M0,0 L10,5 L0,10 z" fill="#9aa5b8"></path></marker></defs>
      ${edges}${boxes}
    </svg>`
  }
}
customElements.define("topology-panel", TopologyPanel)
