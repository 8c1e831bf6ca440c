// Proves the 贵州通 transit application end to end through bytes: issued beside the bank's
// application with a two-entry PPSE, selected by the bus validator (which supports only the
// transit AID) while a shop's reader still takes the bank's; the documented flat fares charged
// offline from the transit purse; a blacklisted card refused with its PAN in the reason; the
// day's batch uploaded to the operator (damaged or repeated uploads refused), presented to the
// issuing bank in a TWIN-CLR-1 file, each TC checked with the bank's keys (a forged one unpaid),
// and net positions that move exactly the fares from the bank to the operator.
import { describe, expect, it } from "vitest"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../../../model/card/applets/pboc/pboc-applet.ts"
import { PPSE_NAME } from "../../../../model/card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../../../model/card/applets/pboc/ppse-applet.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  type PbocCardData,
  preparePbocDgis,
  preparePpseDgi,
} from "../../../../model/host/issuer/data-preparation.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { FARE_TABLE, ROUTE_KINDS } from "../../../../model/host/transit/fare-table.ts"
import { encodeTransitBatch } from "../../../../model/host/transit/transit-batch.ts"
import { ppseEntries, transitCardData } from "../../../../model/host/transit/transit-card.ts"
import { TRANSIT_AID, TransitReader } from "../../../../model/host/transit/transit-reader.ts"
import { TransitOperator } from "../../../../model/parties/transit/transit-operator.ts"
import { HarnessCard } from "../../card/applets/pboc/applet-harness.ts"
import { cardData, TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { odaCardData, odaWorld } from "../oda/oda-fixture.ts"
import { balanceOf, issuer, purchase } from "../terminal/pboc-flows.ts"

const crypto = nativeCrypto
const TRANSIT_PAN = "6230529000000001"

const twoAppCard = (bank: PbocCardData, transit: PbocCardData): HarnessCard => {
  const card = new HarnessCard(crypto)
  card.install(PPSE_APPLET, PPSE_NAME)
  card.install(PBOC_APPLET, bank.aid)
  card.install(PBOC_APPLET, transit.aid)
  const sws = [
    ...card.personalize(PPSE_NAME, [preparePpseDgi(ppseEntries(bank, transit))]),
    ...card.personalize(bank.aid, preparePbocDgis(crypto, TEST_IMKS, bank)),
    ...card.personalize(transit.aid, preparePbocDgis(crypto, TEST_IMKS, transit)),
  ]
  if (sws.some((sw) => sw !== 0x9000)) throw new Error(`personalization failed: ${sws}`)
  return card
}

const bank = cardData(TDES_PBOC)
const transit = transitCardData(bank, TRANSIT_PAN)
let un = 0
const tap = () => ({
  dateYymmdd: "150801",
  unpredictableNumber: Uint8Array.of(0x12, 0x34, 0x56, un++ & 0xff),
})
const reader = (blacklist: ReadonlyArray<string> = [], kind: (typeof ROUTE_KINDS)[number] = "bus") =>
  new TransitReader({
    readerId: `bus-${kind}`,
    route: { id: `${kind} 2`, kind },
    crypto,
    blacklist: new Set(blacklist),
  })
const operator = () => new TransitOperator(crypto, (pan) => (pan.startsWith("623052") ? "gyb" : undefined))
const banks = new Map([["gyb", { profile: TDES_PBOC, imks: TEST_IMKS }]])

describe("the transit application beside the bank's", () => {
  it("is chosen by the bus validator from a two-entry PPSE, while a shop's reader takes the bank's", () => {
    const card = twoAppCard(bank, transit)
    const paid = reader().tap(card, tap())
    expect(paid).toMatchObject({ kind: "paid", fareFen: 100, balanceAfterFen: 4_900 })
    expect(balanceOf(card, TRANSIT_AID)).toBe(4_900)
    expect(balanceOf(card, bank.aid)).toBe(50_000)
    const shop = runTransaction(
      card,
      purchase(1_000, "qpboc"),
      issuer(crypto, TDES_PBOC, { approve: true, loadFen: null }),
    )
    expect(shop).toMatchObject({ kind: "approved-offline", balanceAfterFen: 49_000 })
    expect(balanceOf(card, TRANSIT_AID)).toBe(4_900)
  })

  it("charges each route kind its fare from the documented fare table", () => {
    const card = twoAppCard(bank, transit)
    let balance = 5_000
    for (const kind of ROUTE_KINDS) {
      const o = reader([], kind).tap(card, tap())
      balance -= FARE_TABLE[kind].fen
      expect(o).toMatchObject({ kind: "paid", fareFen: FARE_TABLE[kind].fen, balanceAfterFen: balance })
    }
    expect(balanceOf(card, TRANSIT_AID)).toBe(balance)
  })

  it("refuses a card on the transit blacklist, naming the PAN in the reason, and journals nothing", () => {
    const card = twoAppCard(bank, transit)
    const validator = reader([TRANSIT_PAN])
    const o = validator.tap(card, tap())
    expect(o).toEqual({
      kind: "refused",
      reason: "blacklisted",
      detail: `PAN ${TRANSIT_PAN} on the blacklist, TVR 1000000000`,
    })
    expect(validator.closeDay()).toEqual([])
    // Another card's PAN on the list: this one rides.
    expect(reader(["6230529000000099"]).tap(card, tap()).kind).toBe("paid")
  })

  it("refuses the fare offline (the card answers AAC) when the transit purse cannot pay it", () => {
    const card = twoAppCard(bank, { ...transit, balanceFen: 150 })
    expect(reader([], "brt").tap(card, tap())).toMatchObject({ kind: "refused", reason: "card-declined" })
    expect(balanceOf(card, TRANSIT_AID)).toBe(150)
  })

  it("checks fDDA on the transit application when the validator holds the CA keys", () => {
    const world = odaWorld(crypto)
    const odaBank = odaCardData(world, "sm2")
    const card = twoAppCard(odaBank, transitCardData(odaBank, TRANSIT_PAN))
    const validator = new TransitReader({
      readerId: "bus-oda",
      route: { id: "bus 1", kind: "bus" },
      crypto,
      caKeys: world.ca.publicKeys,
      blacklist: new Set(),
    })
    expect(validator.tap(card, tap())).toMatchObject({ kind: "paid", fareFen: 100 })
  })
})

describe("the day's batch upload and clearing", () => {
  const dayOfFares = () => {
    const card = twoAppCard(bank, transit)
    const validator = reader([], "bus-air-conditioned")
    for (let i = 0; i < 3; i++) expect(validator.tap(card, tap()).kind).toBe("paid")
    return encodeTransitBatch(crypto, {
      readerId: "bus-ac-7",
      dateYymmdd: "150801",
      records: validator.closeDay(),
    })
  }

  it("settles the fares with the issuing bank: positions move exactly the fares and sum to zero", () => {
    const op = operator()
    const batch = dayOfFares()
    expect(op.receiveBatch(batch)).toEqual({ kind: "accepted", fares: 3, duplicates: 0 })
    // The same upload again adds nothing.
    expect(op.receiveBatch(batch)).toEqual({ kind: "accepted", fares: 0, duplicates: 3 })
    const clearing = op.clear(1, banks)
    expect(clearing.rejected).toEqual([])
    expect(clearing.settled.map((r) => [r.kind, r.issuer, r.acquirer, r.amountFen])).toEqual(
      Array(3).fill(["offline-tc", "gyb", "gzt-transit", 200]),
    )
    expect(Object.fromEntries(clearing.positions)).toEqual({ gyb: -600, "gzt-transit": 600 })
    expect(clearing.files.get("gyb")).toMatch(
      /^H\|1\|gyb\n(R\|6230529000000001-\d+\|offline-tc\|.*\n){3}T\|3\|600\|/,
    )
    // Nothing is left for the next cut-off.
    expect(op.clear(2, banks).settled).toEqual([])
  })

  it("refuses a damaged batch whole, naming the line, and pays no fare whose TC its issuer cannot verify", () => {
    const op = operator()
    const batch = dayOfFares()
    const damaged = batch.replace("|200|", "|300|")
    expect(op.receiveBatch(damaged)).toMatchObject({ kind: "refused", error: { reason: "total" } })
    const lines = batch.split("\n")
    // A forged TC (one digit changed) with the file's digest recomputed, as a dishonest reader would.
    const forged = lines[1]!.replace(
      /\|([0-9A-F]{16})\|([0-9A-F]{58})$/,
      (_, tc: string, t: string) => `|${tc.startsWith("0") ? "1" : "0"}${tc.slice(1)}|${t}`,
    )
    expect(forged).not.toBe(lines[1])
    expect(op.receiveBatch([lines[0], forged, ...lines.slice(2)].join("\n"))).toMatchObject({
      kind: "refused",
      error: { reason: "digest" },
    })
    // The same forgery with the digest recomputed passes the file check; the issuer's TC check stops it.
    expect(op.receiveBatch(reencode(batch, forged))).toMatchObject({ kind: "accepted", fares: 3 })
    const clearing = op.clear(1, banks)
    expect(clearing.rejected).toEqual([{ id: expect.stringMatching(/^6230529000000001-/), reason: "bad-tc" }])
    expect(Object.fromEntries(clearing.positions)).toEqual({ gyb: -400, "gzt-transit": 400 })
  })

  it("does not present a fare whose card issuer the operator does not know", () => {
    const op = new TransitOperator(crypto, () => undefined)
    op.receiveBatch(dayOfFares())
    const clearing = op.clear(1, banks)
    expect(clearing.settled).toEqual([])
    expect(clearing.rejected.map((r) => r.reason)).toEqual([
      "unknown-issuer",
      "unknown-issuer",
      "unknown-issuer",
    ])
  })
})

/** The batch with its first fare line replaced and the trailer's digest recomputed. */
const reencode = (batch: string, firstLine: string): string => {
  const lines = batch.split("\n")
  const body = [lines[0]!, firstLine, ...lines.slice(2, -1)]
  const trailer = lines.at(-1)!.split("|")
  const digest = Array.from(crypto.sm3(new TextEncoder().encode(body.join("\n"))), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("")
  return [...body, `T|${trailer[1]}|${trailer[2]}|${digest}`].join("\n")
}
