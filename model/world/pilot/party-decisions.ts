/**
 * What each party of the network decided during a run (issue 12 item 8, summary.json `parties`):
 * decisions by kind ("order-step", "route", "authorize", "clear", ...) and errors by cause
 * ("refused", "timed-out", "declined: hot-listed", ...). A flow's hot path holds a counter cell
 * and increments it (`cell.n++`), so counting costs no Map lookup per event; the cells are created
 * once, when a party's code first names the kind.
 */
import type { PartyId } from "../network.ts"

export interface Count {
  n: number
}

export interface PartyRecord {
  readonly decisions: Readonly<Record<string, number>>
  readonly errors: Readonly<Record<string, number>>
}

export class PartyDecisions {
  private readonly decisionCells = new Map<string, Map<string, Count>>()
  private readonly errorCells = new Map<string, Map<string, Count>>()

  /** The counter of `party`'s decisions of `kind` (made on first use; hold it on hot paths). */
  decision(party: PartyId, kind: string): Count {
    return cellOf(this.decisionCells, party, kind)
  }

  /** The counter of `party`'s errors of `cause`. */
  error(party: PartyId, cause: string): Count {
    return cellOf(this.errorCells, party, cause)
  }

  /**
   * Each party's error counters by cause, live (read them, never change them): the live viewer
   * reads a party's errors by cause every two simulated hours, and `record()`'s sorted copy of
   * every cell was most of that sample's cost.
   */
  errorCounters(): ReadonlyMap<string, ReadonlyMap<string, Readonly<Count>>> {
    return this.errorCells
  }

  /** Every party that counted anything, with its decisions and errors (zero cells included). */
  record(): Readonly<Record<string, PartyRecord>> {
    const out: Record<string, PartyRecord> = {}
    const parties = new Set([...this.decisionCells.keys(), ...this.errorCells.keys()])
    for (const party of [...parties].sort())
      out[party] = {
        decisions: plain(this.decisionCells.get(party)),
        errors: plain(this.errorCells.get(party)),
      }
    return out
  }
}

const cellOf = (cells: Map<string, Map<string, Count>>, party: string, kind: string): Count => {
  let byKind = cells.get(party)
  if (byKind === undefined) {
    byKind = new Map()
    cells.set(party, byKind)
  }
  let cell = byKind.get(kind)
  if (cell === undefined) {
    cell = { n: 0 }
    byKind.set(kind, cell)
  }
  return cell
}

const plain = (byKind: ReadonlyMap<string, Count> | undefined): Record<string, number> => {
  const out: Record<string, number> = {}
  if (byKind !== undefined)
    for (const [k, c] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) out[k] = c.n
  return out
}
