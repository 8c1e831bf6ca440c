// Proves the PBOC and PPSE applets on the real card runtime: installed and personalized by an SSD
// over its secure channel (keys in an encrypted DGI 8000), driven by the terminal kernel through
// bytes, within the 1 KiB card image; and that cutting power after any NVM write of the 圈存
// PUT DATA leaves the balance in the before- or the after-state.
import { describe, expect, it } from "vitest"
import { hex } from "../../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../../model/bytes/result.ts"
import type { AppletClass } from "../../../../../model/card/applet.ts"
import { TDES_EMV } from "../../../../../model/card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../../../../model/card/applets/pboc/pboc-applet.ts"
import { DGI, PPSE_NAME } from "../../../../../model/card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../../../../model/card/applets/pboc/ppse-applet.ts"
import { loadFileBlock } from "../../../../../model/card/applets/security-domain/sd-load.ts"
import { createCard, issueCardImage, type SimulatedCard } from "../../../../../model/card/card.ts"
import { type CardProfile, EMBEDDED_SE, NFC_SIM } from "../../../../../model/card/profile.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import {
  installForInstall,
  installForLoad,
  installForPersonalization,
  loadBlocks,
  storeDataDgi,
} from "../../../../../model/host/gp/gp-commands.ts"
import { preparePbocDgis, preparePpseDgi } from "../../../../../model/host/issuer/data-preparation.ts"
import { runTransaction } from "../../../../../model/host/terminal/qpboc-kernel.ts"
import { balanceOf, issuer, load, purchase } from "../../../host/terminal/pboc-flows.ts"
import { createSsd, entropyFrom, keysFor, open, SSD_AID, selectAid } from "../../fixtures/gp-script.ts"
import { cardData, TEST_IMKS } from "./pboc-fixture.ts"

const crypto = nativeCrypto
const PACKAGE_AID = hex("A0000003330101")
const CLASSES = [PBOC_APPLET, PPSE_APPLET] as ReadonlyArray<AppletClass>

const ok = (sw: number, what: string) => {
  if (sw !== 0x9000) throw new Error(`${what} answered ${sw.toString(16)}`)
}

const issuePbocCard = (profile: CardProfile): { card: SimulatedCard; data: ReturnType<typeof cardData> } => {
  const image = issueCardImage(profile, {
    serial: hex("01020304"),
    isdKeys: { kvn: 0x20, ...keysFor(profile, 1) },
  })
  const card = createCard({ profile, image, crypto, entropy: entropyFrom(7), appletClasses: CLASSES })
  card.reset()
  const isd = createSsd(card, profile, crypto)
  ok(unwrap(isd.send(installForLoad(PACKAGE_AID)), "load").sw, "INSTALL for load")
  for (const block of loadBlocks(loadFileBlock(CLASSES.map((c) => c.name)), 8))
    ok(unwrap(isd.send(block), "LOAD").sw, "LOAD")
  expect(selectAid(card, SSD_AID)).toBe(0x9000)
  const ssd = open(card, profile, crypto, 2, 0x30, profile.scp.protocol === "SCP02" ? 0x03 : 0x03)
  const data = cardData(TDES_EMV)
  for (const [cls, aid] of [
    [PPSE_APPLET, PPSE_NAME],
    [PBOC_APPLET, data.aid],
  ] as const) {
    const install = installForInstall({
      loadFileAid: PACKAGE_AID,
      moduleAid: cls.moduleAid,
      aid,
      privileges: 0,
    })
    ok(unwrap(ssd.send(install), "install").sw, `INSTALL ${cls.name}`)
  }
  ok(unwrap(ssd.send(installForPersonalization(PPSE_NAME)), "perso").sw, "INSTALL for perso PPSE")
  const ppseDgi = preparePpseDgi([{ aid: data.aid, label: data.label, priority: 1 }])
  ok(unwrap(ssd.send(storeDataDgi(0, true, ppseDgi.dgi, ppseDgi.value)), "store").sw, "STORE DATA PPSE")
  ok(unwrap(ssd.send(installForPersonalization(data.aid)), "perso").sw, "INSTALL for perso PBOC")
  const dgis = preparePbocDgis(crypto, TEST_IMKS, data)
  dgis.forEach((d, i) => {
    const encrypt = d.dgi === DGI.keys ? ssd.channel.encryptData : undefined
    const cmd = storeDataDgi(i, i === dgis.length - 1, d.dgi, d.value, encrypt)
    ok(unwrap(ssd.send(cmd), "store").sw, `STORE DATA ${d.dgi.toString(16)}`)
  })
  return { card, data }
}

describe.each([NFC_SIM, EMBEDDED_SE])("PBOC on the card runtime ($name)", (profile) => {
  it("personalizes over the SSD channel, transacts through bytes and fits 1 KiB", () => {
    const { card, data } = issuePbocCard(profile)
    const approve = issuer(crypto, TDES_EMV, { approve: true, loadFen: null })
    expect(runTransaction(card, purchase(1_000, "qpboc"), approve)).toMatchObject({
      kind: "approved-offline",
      atc: 1,
    })
    expect(runTransaction(card, purchase(30_000, "pboc"), approve)).toMatchObject({
      kind: "approved-online",
      atc: 2,
    })
    const loaded = runTransaction(
      card,
      load(5_000),
      issuer(crypto, TDES_EMV, { approve: true, loadFen: 5_000 }),
    )
    expect(loaded).toMatchObject({ kind: "approved-online", scriptSws: [0x9000] })
    expect(balanceOf(card, data.aid)).toBe(50_000 - 1_000 + 5_000)
    const imageBytes = card.image().length
    console.log(`${profile.name}: image ${imageBytes} bytes with ISD + SSD + PPSE + PBOC`)
    expect(imageBytes).toBeLessThanOrEqual(1024)
  })

  it("leaves the balance before or after the 圈存 PUT DATA whatever write the power cut follows", () => {
    const { card, data } = issuePbocCard(profile)
    const before = balanceOf(card, data.aid)
    const seen = new Set<number>()
    for (let cut = 0; cut < 8; cut++) {
      const torn: SimulatedCard = {
        ...card,
        transmit: (bytes) => {
          if (bytes[0] === 0x04 && bytes[1] === 0xda) card.tearAfterWrite(cut)
          return card.transmit(bytes)
        },
      }
      const base = balanceOf(card, data.aid)
      runTransaction(torn, load(100), issuer(crypto, TDES_EMV, { approve: true, loadFen: 100 }))
      card.tearAfterWrite(null)
      card.reset()
      const after = balanceOf(card, data.aid)
      expect([base, base + 100]).toContain(after)
      seen.add(after - base)
    }
    // Early cuts land inside the PUT DATA transaction (before-state); late ones after it (after-state).
    expect(seen.has(0)).toBe(true)
    expect(seen.has(100)).toBe(true)
    expect(balanceOf(card, data.aid)).toBeGreaterThanOrEqual(before)
  })
})
