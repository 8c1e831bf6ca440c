/**
 * Continuous invariants of the issuance platform, computed from signals only (DESIGN.md §3: the
 * audit reads signals):
 * - registry: whenever an SE's own registry is reported (`se.registry`), it equals the TSM's
 *   latest view of that SE (`tsm.registry`);
 * - issued-once: no card (PAN, PSN) is issued twice (`card.issued`);
 * - orders-terminal: every opened order reaches exactly one terminal state (`order.opened`,
 *   `order.terminal`), checked at the end of the run for those still open.
 * Each violation keeps the simulated time; the run adds the seed when it reports them.
 */

export interface Violation {
  readonly invariant: InvariantName
  readonly tUs: number
  readonly detail: string
}

export type InvariantName = "registry" | "issued-once" | "orders-terminal"

export interface InvariantCount {
  checks: number
  violations: number
}

/** Violations kept in full; beyond it only counted (STYLE.md rule 3). */
export const VIOLATIONS_KEPT_MAX = 100

type Rec = { readonly tUs: number; readonly signal: string; readonly payload: unknown }

export class IssuanceAudit {
  readonly counts: Record<InvariantName, InvariantCount> = {
    registry: { checks: 0, violations: 0 },
    "issued-once": { checks: 0, violations: 0 },
    "orders-terminal": { checks: 0, violations: 0 },
  }
  readonly violations: Violation[] = []
  private readonly views = new Map<string, string>()
  private readonly issued = new Set<string>()
  private readonly open = new Map<string, number>()

  private check(invariant: InvariantName, ok: boolean, tUs: number, detail: () => string): void {
    const c = this.counts[invariant]
    c.checks++
    if (ok) return
    c.violations++
    if (this.violations.length < VIOLATIONS_KEPT_MAX)
      this.violations.push({ invariant, tUs, detail: detail() })
  }

  write(record: Readonly<Record<string, unknown>>): void {
    const r = record as Rec
    const p = r.payload as Record<string, unknown>
    switch (r.signal) {
      case "tsm.registry":
        this.views.set(String(p.seId), JSON.stringify(p.entries))
        return
      case "se.registry": {
        const mine = this.views.get(String(p.seId)) ?? "[]"
        const theirs = JSON.stringify(p.entries)
        return void this.check(
          "registry",
          mine === theirs,
          r.tUs,
          () => `SE ${p.seId}: card ${theirs}, TSM ${mine}`,
        )
      }
      case "card.issued": {
        const key = `${p.pan}/${p.psn}`
        this.check("issued-once", !this.issued.has(key), r.tUs, () => `card ${key} issued again on ${p.seId}`)
        this.issued.add(key)
        return
      }
      case "order.opened":
        this.open.set(String(p.orderId), r.tUs)
        return
      case "order.terminal": {
        const id = String(p.orderId)
        this.check(
          "orders-terminal",
          this.open.delete(id),
          r.tUs,
          () => `order ${id} ended twice or unopened`,
        )
        return
      }
    }
  }

  /** End of run: every order still open is a violation at the end time. */
  finish(endUs: number): void {
    for (const [id, openedUs] of this.open)
      this.check("orders-terminal", false, endUs, () => `order ${id} (opened at ${openedUs} µs) never ended`)
    this.open.clear()
  }

  flush(): void {}
  close(): void {}
}
