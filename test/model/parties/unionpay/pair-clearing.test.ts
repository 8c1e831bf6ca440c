/**
 * Proves the aggregate clearing functions: net positions from per-pair amounts sum to zero and
 * equal a record-by-record netting (reconciliation.ts `netPositions`, code this file did not
 * write) of the same items, and reconciliation names each pair where the issuer's approvals and
 * the acquirers' presentments differ, on the side that has more.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ClearingRecord } from "../../../../model/parties/unionpay/clearing-file.ts"
import { addNetPositions, pairOf, reconcilePairs } from "../../../../model/parties/unionpay/pair-clearing.ts"
import { netPositions } from "../../../../model/parties/unionpay/reconciliation.ts"

const BANKS = 4

describe("pair clearing", () => {
  it("nets per-pair amounts exactly as record-by-record netting does", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            issuer: fc.integer({ min: 0, max: BANKS - 1 }),
            acquirer: fc.integer({ min: 0, max: BANKS - 1 }),
            amountFen: fc.integer({ min: 1, max: 10_000_000 }),
          }),
          { maxLength: 50 },
        ),
        (items) => {
          const fen = new Float64Array(BANKS * BANKS)
          for (const it of items) fen[pairOf(it.issuer, it.acquirer, BANKS)]! += it.amountFen
          const positions = new Float64Array(BANKS)
          addNetPositions(fen, BANKS, positions)
          const records = items.map(
            (it, i) =>
              ({
                kind: "online",
                id: `t${i}`,
                issuer: `B${it.issuer}`,
                acquirer: `B${it.acquirer}`,
                amountFen: it.amountFen,
                payee: "merch:x",
              }) as unknown as ClearingRecord,
          )
          const byRecord = netPositions(records)
          for (let b = 0; b < BANKS; b++) expect(positions[b]).toBe(byRecord.get(`B${b}`) ?? 0)
          expect(positions.reduce((a, x) => a + x, 0)).toBe(0)
        },
      ),
    )
  })

  it("names the pairs where approvals and presentments differ", () => {
    const n = BANKS * BANKS
    const approvedCount = new Float64Array(n)
    const approvedFen = new Float64Array(n)
    const presentedCount = new Float64Array(n)
    const presentedFen = new Float64Array(n)
    const set = (p: number, a: number, af: number, c: number, cf: number) => {
      approvedCount[p] = a
      approvedFen[p] = af
      presentedCount[p] = c
      presentedFen[p] = cf
    }
    set(pairOf(0, 1, BANKS), 3, 300, 3, 300) // agrees
    set(pairOf(1, 2, BANKS), 3, 300, 2, 200) // a presentment missing
    set(pairOf(2, 3, BANKS), 1, 100, 2, 150) // presented, never approved
    set(pairOf(3, 0, BANKS), 1, 100, 1, 90) // amounts differ
    const out = { missingInClearing: 0, missingAtIssuer: 0 }
    expect(reconcilePairs(approvedCount, approvedFen, presentedCount, presentedFen, out)).toBe(3)
    expect(out).toEqual({ missingInClearing: 2, missingAtIssuer: 1 })
  })
})
