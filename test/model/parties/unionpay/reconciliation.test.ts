// Proves reconciliation reports exactly the discrepancies injected into a clearing file (no more,
// no fewer), that the corrected records settle to zero-sum positions, and that the TWIN-CLR-1 file
// round-trips, detects any changed character and never throws on garbage.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  type ClearingRecord,
  encodeClearingFile,
  parseClearingFile,
} from "../../../../model/parties/unionpay/clearing-file.ts"
import {
  correctedRecords,
  netPositions,
  reconcile,
} from "../../../../model/parties/unionpay/reconciliation.ts"

const BANKS = ["GYB", "GZB", "CCB"]

const recordArb = (i: number) =>
  fc
    .record({
      amountFen: fc.integer({ min: 1, max: 10_000_000 }),
      acquirer: fc.constantFrom(...BANKS),
      fault: fc.constantFrom("none", "none", "none", "duplicate", "mismatch", "missing"),
    })
    .map((r) => ({ ...r, id: `T${i}` }))

const scenarioArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) =>
    fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => recordArb(i))), fc.integer({ min: 0, max: 5 })),
  )

describe("reconciliation", () => {
  it("reports exactly the injected discrepancies, and corrected records net to zero", () => {
    fc.assert(
      fc.property(scenarioArb, ([txns, phantoms]) => {
        const approved = new Map<string, number>()
        const file: ClearingRecord[] = []
        const injected: string[] = []
        for (const t of txns) {
          approved.set(t.id, t.amountFen)
          const r: ClearingRecord = {
            id: t.id,
            kind: "online",
            acquirer: t.acquirer,
            issuer: "GYB",
            amountFen: t.amountFen,
            payee: "merch:x",
          }
          if (t.fault === "missing") injected.push(`missing-in-clearing:${t.id}`)
          else if (t.fault === "mismatch") {
            file.push({ ...r, amountFen: r.amountFen + 1 })
            injected.push(`amount-mismatch:${t.id}`)
          } else file.push(r)
          if (t.fault === "duplicate") {
            file.push(r)
            injected.push(`duplicate:${t.id}`)
          }
        }
        for (let p = 0; p < phantoms; p++) {
          file.push({
            id: `P${p}`,
            kind: "online",
            acquirer: "CCB",
            issuer: "GYB",
            amountFen: 5,
            payee: "merch:x",
          })
          injected.push(`missing-at-issuer:P${p}`)
        }
        const found = reconcile(approved, file)
        expect(found.map((d) => `${d.kind}:${d.id}`).sort()).toEqual(injected.sort())
        const settled = correctedRecords(file, found)
        for (const r of settled) expect(r.amountFen).toBe(approved.get(r.id))
        expect([...netPositions(settled).values()].reduce((a, b) => a + b, 0)).toBe(0)
      }),
      { numRuns: 300 },
    )
  })

  it("round-trips a file and detects any changed character", () => {
    const records: ClearingRecord[] = [
      { id: "T1", kind: "online", acquirer: "CCB", issuer: "GYB", amountFen: 1234, payee: "merch:retail-2" },
      { id: "T2", kind: "offline-tc", acquirer: "GYB", issuer: "GYB", amountFen: 200, payee: "merch:bus" },
    ]
    const text = encodeClearingFile(nativeCrypto, { cycle: 3, bank: "GYB", records })
    const parsed = parseClearingFile(nativeCrypto, text)
    expect(parsed).toEqual({ ok: true, value: { cycle: 3, bank: "GYB", records } })
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: text.length - 1 }),
        fc.integer({ min: 32, max: 126 }),
        (at, code) => {
          if (text.charCodeAt(at) === code) return
          const changed = `${text.slice(0, at)}${String.fromCharCode(code)}${text.slice(at + 1)}`
          expect(parseClearingFile(nativeCrypto, changed).ok).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })

  it("answers garbage with a typed error, never an exception", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseClearingFile(nativeCrypto, text)
        if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(1)
      }),
      { numRuns: 500 },
    )
  })
})
