// Proves that selecting a security domain answers a well-formed FCI (GP 2.3 §11.9.3.1): a 6F
// template holding the DF name (84) and a proprietary template (A5) with 9F65, parseable as BER-TLV.
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../../model/apdu/command.ts"
import { decodeResponse } from "../../../../model/apdu/response.ts"
import { toHex } from "../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../model/bytes/result.ts"
import { NFC_SIM } from "../../../../model/card/profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { decodeTlv, findTag } from "../../../../model/tlv/ber-tlv.ts"
import { newCard } from "../fixtures/gp-script.ts"

describe("security domain SELECT", () => {
  it("answers an FCI that decodes as BER-TLV with the ISD's AID and 9F65", () => {
    const card = newCard(NFC_SIM, nativeCrypto)
    const isdAid = NFC_SIM.isdAid
    const reply = unwrap(
      decodeResponse(card.transmit(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, isdAid, 256)))),
      "select",
    )
    expect(reply.sw).toBe(0x9000)
    const fci = unwrap(decodeTlv(reply.data), "FCI")
    expect(fci).toHaveLength(1)
    expect(fci[0]!.tag).toBe(0x6f)
    expect(toHex(findTag(fci, 0x84)!.value)).toBe(toHex(isdAid))
    expect(toHex(findTag(fci, 0x9f65)!.value)).toBe("FF")
  })
})
