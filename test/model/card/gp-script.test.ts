// Proves the GP card-management script end to end on every profile: the ISD creates an SSD with
// Authorized Management and gives it keys, the SSD opens its own channel, installs and
// personalizes an applet (encrypted DGI), GET STATUS shows it, SET STATUS locks and unlocks it,
// DELETE removes it; and the card's persistent image stays within the 1 KiB budget.
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../model/apdu/command.ts"
import { hex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../model/card/applets/security-domain/sd-load.ts"
import { EMBEDDED_SE, NFC_SD, NFC_SIM, NFC_SIM_SM4 } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import {
  deleteAid,
  getStatus,
  installForInstall,
  installForLoad,
  installForPersonalization,
  loadBlocks,
  parseGetStatus,
  setStatus,
  storeDataDgi,
} from "../../../model/host/gp/gp-commands.ts"
import { counterApplet } from "./fixtures/counter-applet.ts"
import { createSsd, newCard, open, SSD_AID, selectAid } from "./fixtures/gp-script.ts"

const PACKAGE_AID = hex("F00000000101")
const APP_AID = hex("F0000000010101AA")

describe.each([NFC_SIM, NFC_SD, EMBEDDED_SE, NFC_SIM_SM4])(
  "GP script on $name ($scp.protocol)",
  (profile) => {
    it("creates an SSD, installs, personalizes, lists, locks, unlocks and deletes an applet", () => {
      const crypto = nativeCrypto
      const card = newCard(profile, crypto)
      const isd = createSsd(card, profile, crypto)
      const ok = (sw: number) => expect(sw.toString(16)).toBe("9000")
      ok(unwrap(isd.send(installForLoad(PACKAGE_AID)), "load").sw)
      for (const block of loadBlocks(loadFileBlock([counterApplet]), 8))
        ok(unwrap(isd.send(block), "LOAD").sw)

      expect(selectAid(card, SSD_AID)).toBe(0x9000)
      const ssd = open(
        card,
        profile,
        crypto,
        2,
        0x30,
        0x33 & (profile.scp.protocol === "SCP02" ? 0x13 : 0x33),
      )
      const install = installForInstall({
        loadFileAid: PACKAGE_AID,
        moduleAid: counterApplet.moduleAid,
        aid: APP_AID,
        privileges: 0,
        params: hex("AB"),
      })
      ok(unwrap(ssd.send(install), "install").sw)
      ok(unwrap(ssd.send(installForPersonalization(APP_AID)), "perso").sw)
      const secret = hex("00112233445566778899AABBCCDDEEFF")
      ok(unwrap(ssd.send(storeDataDgi(0, false, 0x0101, hex("CAFE"))), "store 0").sw)
      ok(unwrap(ssd.send(storeDataDgi(1, true, 0x8000, secret, ssd.channel.encryptData)), "store 1").sw)

      const listed = unwrap(ssd.send(getStatus(0x40)), "status")
      ok(listed.sw)
      const entries = unwrap(parseGetStatus(listed.data), "parse")
      const app = entries.find(
        (e) => e.aid.length === APP_AID.length && e.aid.every((b, i) => b === APP_AID[i]),
      )
      expect(app?.lifeCycle).toBe(0x0f)
      expect(app?.associatedSd).toEqual(SSD_AID)

      ok(unwrap(ssd.send(setStatus(0x40, 0x80, APP_AID)), "lock").sw)
      expect(selectAid(card, APP_AID)).toBe(0x6a82)
      expect(selectAid(card, SSD_AID)).toBe(0x9000)
      const ssd2 = open(card, profile, crypto, 2, 0x30, 0x01)
      ok(unwrap(ssd2.send(setStatus(0x40, 0x00, APP_AID)), "unlock").sw)
      expect(selectAid(card, APP_AID)).toBe(0x9000)
      const read = card.transmit(encodeCommand(command(0x80, 0xca, 0x00, 0x00, undefined, 256)))
      expect([...read]).toEqual([0x00, 0xab, 0xca, 0xfe, ...secret, 0x90, 0x00])

      const imageBytes = card.image().length
      expect(imageBytes).toBeLessThanOrEqual(1024)
      console.log(
        `${profile.name}/${profile.scp.protocol}: image ${imageBytes} bytes with ISD + SSD + applet`,
      )

      expect(selectAid(card, SSD_AID)).toBe(0x9000)
      const ssd3 = open(card, profile, crypto, 2, 0x30, 0x01)
      ok(unwrap(ssd3.send(deleteAid(APP_AID)), "delete").sw)
      const after = unwrap(parseGetStatus(unwrap(ssd3.send(getStatus(0x40)), "status").data), "parse")
      expect(after.some((e) => e.aid.length === APP_AID.length)).toBe(false)
      expect(selectAid(card, APP_AID)).toBe(0x6a82)
    })
  },
)
