// Proves the issuer host on real cards: a genuine ARQC is approved with an ARPC and debits the
// account once, a duplicated request is answered from the log without a second debit, a false
// ARQC and a hot-listed card are declined, a reversal undoes an approval exactly once, and a
// cloned card (same PAN and keys, ATC going backwards) is flagged and declined, and a stand-in
// advice is booked once: matched to the host's own approval, or forced (a shortfall becoming a
// claim on the cardholder).
import { describe, expect, it } from "vitest"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import type { OnlineRequest } from "../../../../model/host/terminal/online-authorizer.ts"
import { AuthorizationHost } from "../../../../model/parties/bank/authorization-host.ts"
import { personalizeCard } from "../../../../model/parties/bank/cms.ts"
import { Ledger } from "../../../../model/parties/bank/ledger.ts"
import { tap } from "../../../../model/parties/merchant/pos-terminal.ts"
import type { AuthRequest } from "../../../../model/parties/unionpay/money-messages.ts"

const PAN = "6230520000000018"
const imks = {
  imkAc: new Uint8Array(16).fill(1),
  imkSmi: new Uint8Array(16).fill(2),
  imkSmc: new Uint8Array(16).fill(3),
}
let un = 0

const setup = () => {
  const ledger = new Ledger("GYB")
  ledger.open("cust:a", "liability", 0, 100_000)
  ledger.open("scheme-payable", "liability", null)
  ledger.open("ecash-float", "liability", null)
  ledger.open("reserve", "asset", null, 100_000)
  ledger.open("standin-receivable", "asset", 0)
  const host = new AuthorizationHost("GYB", nativeCrypto, TDES_PBOC, imks, ledger, { singleLimitFen: 60_000 })
  host.enrol(PAN, "cust:a")
  return { ledger, host }
}

const card = (seed: number) =>
  personalizeCard(nativeCrypto, { seed, account: { pan: PAN, psn: "01" }, imks, ecashFen: 0 })

const arqc = (c: ReturnType<typeof card>, amountFen: number): OnlineRequest => {
  un++
  const r = tap(
    c,
    {
      amountFen,
      type: 0,
      dateYymmdd: "160801",
      unpredictableNumber: new Uint8Array([0, 0, un >> 8, un & 0xff]),
      path: "qpboc",
      ecashSupported: false,
      onlineRequired: true,
    },
    `t${un}`,
    { pan: PAN, psn: "01" },
  )
  if (r.kind !== "online") throw new Error(`expected an ARQC, got ${r.kind}`)
  return r.request
}

const request = (id: string, chip: OnlineRequest, amountFen: number): AuthRequest => ({
  kind: "auth-request",
  id,
  acquirer: "CCB",
  issuer: "GYB",
  merchant: "m",
  amountFen,
  purpose: "purchase",
  chip,
})

describe("authorization host", () => {
  it("approves a genuine ARQC once, answers a duplicate from its log, and reverses once", () => {
    const { ledger, host } = setup()
    const c = card(1)
    const req = request("A1", arqc(c, 30_000), 30_000)
    const first = host.authorize(req)
    expect(first.response.code).toBe("00")
    expect(first.response.chip?.issuerAuthenticationData?.length).toBe(10)
    const again = host.authorize(req)
    expect(again.duplicate).toBe(true)
    expect(again.legs).toEqual([])
    expect(again.response).toBe(first.response)
    ledger.post(first.legs)
    expect(ledger.balance("cust:a")).toBe(70_000)
    const undo = host.reverse({ kind: "reversal", id: "A1", amountFen: 30_000, reason: "switch-timeout" })
    expect(undo.ack.reversed).toBe(true)
    ledger.post(undo.legs)
    expect(ledger.balance("cust:a")).toBe(100_000)
    expect(
      host.reverse({ kind: "reversal", id: "A1", amountFen: 30_000, reason: "switch-timeout" }).legs,
    ).toEqual([])
  })

  it("declines a false ARQC (05), an amount over the limit (61) and a hot-listed card (41)", () => {
    const { host } = setup()
    const c = card(2)
    const chip = arqc(c, 1_000)
    const forged = { ...chip, arqc: chip.arqc.map((b, i) => (i === 0 ? b ^ 1 : b)) }
    expect(host.authorize(request("F", forged, 1_000)).response.code).toBe("05")
    expect(host.authorize(request("L", arqc(c, 70_000), 70_000)).response.code).toBe("61")
    host.cards.get(PAN)!.hotListed = true
    expect(host.authorize(request("H", arqc(c, 1_000), 1_000)).response.code).toBe("41")
  })

  it("flags a cloned card: the copy's ATC goes backwards and is declined 59", () => {
    const { host } = setup()
    const genuine = card(3)
    const clone = card(4)
    expect(host.authorize(request("G1", arqc(genuine, 100), 100)).response.code).toBe("00")
    expect(host.authorize(request("G2", arqc(genuine, 100), 100)).response.code).toBe("00")
    const copied = host.authorize(request("C1", arqc(clone, 100), 100))
    expect(copied.response.code).toBe("59")
    expect(copied.fraud).toMatchObject({ pan: PAN, reason: "atc-regression", atc: 1, lastAtc: 2 })
    expect(host.cards.get(PAN)!.hotListed).toBe(true)
  })
})

describe("stand-in advice", () => {
  it("matches an approval the host made itself, posting nothing more", () => {
    const { host } = setup()
    expect(host.authorize(request("S1", arqc(card(5), 500), 500)).response.code).toBe("00")
    const d = host.postAdvice({ kind: "advice", id: "S1", pan: PAN, amountFen: 500 })
    expect(d).toEqual({ outcome: "matched", legs: [], repeated: false })
    expect(host.postAdvice({ kind: "advice", id: "S1", pan: PAN, amountFen: 500 }).repeated).toBe(true)
  })

  it("forces an advice the host never saw or declined; what the deposit lacks becomes a claim", () => {
    const { ledger, host } = setup()
    const unseen = host.postAdvice({ kind: "advice", id: "S2", pan: PAN, amountFen: 40_000 })
    expect(unseen.outcome).toBe("forced")
    ledger.post(unseen.legs)
    expect(ledger.balance("cust:a")).toBe(60_000)
    expect(host.authorize(request("S3", arqc(card(6), 70_000), 70_000)).response.code).toBe("61")
    const over = host.postAdvice({ kind: "advice", id: "S3", pan: PAN, amountFen: 70_000 })
    ledger.post(over.legs)
    expect(ledger.balance("cust:a")).toBe(0)
    expect(ledger.balance("standin-receivable")).toBe(10_000)
    expect(ledger.imbalanceFen()).toBe(0)
    expect(host.approvedOpen().map((r) => r.id)).toEqual(["S2", "S3"])
    expect(host.postAdvice({ kind: "advice", id: "S3", pan: PAN, amountFen: 70_000 })).toMatchObject({
      legs: [],
      repeated: true,
    })
  })
})
