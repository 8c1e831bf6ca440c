// Proves, for arbitrary sequences of transactions, that the ATC strictly increases, that the e-cash
// balance follows an independently computed model and stays within 0..9F77, and that a flipped
// bit in the ARPC or in an issuer-script MAC is rejected with the balance unchanged.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bytesToUint } from "../../../../model/bytes/bytes.ts"
import {
  type AlgorithmProfile,
  SM4_PROFILE,
  TDES_EMV,
  TDES_PBOC,
} from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import type { OnlineAuthorizer } from "../../../../model/host/terminal/online-authorizer.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard } from "../../card/applets/pboc/pboc-fixture.ts"
import { balanceOf, getData, issuer, load, purchase } from "./pboc-flows.ts"

const crypto = nativeCrypto
const LIMIT_FEN = 100_000
const SINGLE_FEN = 20_000

type Op = { readonly kind: "qpboc" | "pboc" | "load"; readonly amountFen: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("qpboc" as const), amountFen: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant("pboc" as const), amountFen: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant("load" as const), amountFen: fc.integer({ min: 1, max: 80_000 }) }),
)

/** The auditor's model of the e-cash rules (ecash.ts, with 9F6D = 0), written apart from the card. */
const expectedBalance = (balance: number, op: Op): number => {
  if (op.kind === "qpboc")
    return op.amountFen <= SINGLE_FEN && op.amountFen <= balance ? balance - op.amountFen : balance
  if (op.kind === "load") return balance + op.amountFen <= LIMIT_FEN ? balance + op.amountFen : balance
  return balance
}

const runOp = (card: ReturnType<typeof personalizedCard>, profile: AlgorithmProfile, op: Op) => {
  if (op.kind === "load") {
    return runTransaction(
      card,
      load(op.amountFen),
      issuer(crypto, profile, { approve: true, loadFen: op.amountFen }),
    )
  }
  return runTransaction(
    card,
    purchase(op.amountFen, op.kind),
    issuer(crypto, profile, { approve: true, loadFen: null }),
  )
}

describe.each([TDES_PBOC, TDES_EMV, SM4_PROFILE])("PBOC properties ($name)", (profile) => {
  it("keeps the ATC strictly increasing and the balance on the model, within 0..9F77", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LIMIT_FEN }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        (start, ops) => {
          const data = cardData(profile, { balanceFen: start })
          const card = personalizedCard(crypto, data)
          let atc = 0
          let model = start
          for (const op of ops) {
            const outcome = runOp(card, profile, op)
            expect(outcome.kind === "approved-offline" || outcome.kind === "approved-online").toBe(true)
            const now = bytesToUint(getData(card, data.aid, 0x9f36).value)
            expect(now).toBe(atc + 1)
            atc = now
            model = expectedBalance(model, op)
            const balance = balanceOf(card, data.aid)
            expect(balance).toBe(model)
            expect(balance).toBeGreaterThanOrEqual(0)
            expect(balance).toBeLessThanOrEqual(LIMIT_FEN)
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it("rejects a flipped bit in the ARPC or the script MAC and leaves the balance unchanged", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 50_000 }),
        (inArpc, bit, loadFen) => {
          const data = cardData(profile)
          const card = personalizedCard(crypto, data)
          const honest = issuer(crypto, profile, { approve: true, loadFen })
          const tampered: OnlineAuthorizer = (request) => {
            const reply = honest(request)
            if (reply === null || reply.issuerAuthenticationData === null) return reply
            if (inArpc) {
              const arpc = reply.issuerAuthenticationData.slice()
              arpc[bit >> 3]! ^= 1 << (bit & 7)
              return { ...reply, issuerAuthenticationData: arpc }
            }
            const scripts = reply.scripts.map((s) => {
              const d = s.data.slice()
              d[d.length - 4 + ((bit >> 3) % 4)]! ^= 1 << (bit & 7)
              return { ...s, data: d }
            })
            return { ...reply, scripts }
          }
          const before = balanceOf(card, data.aid)
          const outcome = runTransaction(card, load(loadFen), tampered)
          if (inArpc)
            expect(outcome).toMatchObject({ kind: "declined", reason: "issuer-authentication-failed" })
          else expect(outcome).toMatchObject({ kind: "approved-online", scriptSws: [0x6988] })
          expect(balanceOf(card, data.aid)).toBe(before)
        },
      ),
      { numRuns: 30 },
    )
  })
})
