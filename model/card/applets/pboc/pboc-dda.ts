/**
 * INTERNAL AUTHENTICATE for DDA on the contact (standard) path, EMV 4.3 Book 3 §6.5.9, Book 2
 * §6.5: the terminal sends its DDOL data (by default the unpredictable number 9F37); the card
 * answers in format 1 (tag 80) with its signed dynamic application data — the same signature
 * pboc-oda.ts makes for fDDA (RSA format 05 or the twin's SM2 format 15), over the card's dynamic
 * data and the DDOL data. The ICC dynamic number (Book 2 Table 18, 2-8 bytes) is 8 fresh bytes
 * from the card's entropy, since DDA has no cryptogram yet to bind.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import type { AppletContext, AppletResponse } from "../../applet.ts"
import { IMAGE, PersoState } from "./pboc-image.ts"
import { iccDynamicData, signSdadRsa, signSdadSm2 } from "./pboc-oda.ts"
import { iccPrivateKey } from "./pboc-oda-key.ts"
import type { PbocSession } from "./pboc-session.ts"

export const ICC_DYNAMIC_NUMBER_BYTES = 8

const NO_DATA = new Uint8Array(0)

export const internalAuthenticate = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  if (c.p1 !== 0 || c.p2 !== 0) return { data: NO_DATA, sw: SW.INCORRECT_P1P2 }
  if (c.data.length === 0) return { data: NO_DATA, sw: SW.WRONG_LENGTH }
  const key = iccPrivateKey(ctx.state)
  if (ctx.state[IMAGE.state] !== PersoState.personalized || key === undefined)
    return { data: NO_DATA, sw: SW.CONDITIONS_NOT_SATISFIED }
  const dynamic = iccDynamicData(ctx.entropy(ICC_DYNAMIC_NUMBER_BYTES))
  const sdad =
    key.algorithm === "rsa"
      ? signSdadRsa(key.key, dynamic, c.data)
      : signSdadSm2(ctx.crypto, key.scalar, dynamic, c.data)
  return { data: encodeTlv(tlv(0x80, sdad)), sw: SW.OK }
}
