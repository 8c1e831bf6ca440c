/**
 * GET DATA on a security domain (GP 2.3 §11.3): 9F7F CPLC (Annex H.6, 42 bytes), 0066 card
 * recognition data (Annex H.2), 00E0 key information template (§11.3.3.1), 0042 IIN, 0045 CIN.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { hex } from "../../../bytes/hex.ts"
import { constructed, encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import { SCP_IDENTIFIER } from "../../secure-channel/scp03-session.ts"
import type { SdContext } from "./sd-context.ts"

/** GP card recognition data OIDs (GP 2.3 Annex H.2): GP RID 1.2.840.114283. */
const OID_CARD_RECOGNITION = hex("2A864886FC6B01")
const OID_GP_23 = hex("2A864886FC6B02020301")
const OID_CARD_ID_SCHEME = hex("2A864886FC6B03")

const cplc = (ctx: SdContext): Uint8Array => {
  const out = new Uint8Array(42)
  out.set(ctx.profile.cplcChip.subarray(0, 4), 0)
  out.set(ctx.state.serial, 12)
  return encodeTlv(tlv(0x9f7f, out))
}

const cardData = (ctx: SdContext): Uint8Array => {
  const scp = ctx.profile.scp
  const scpId =
    scp.protocol === "SCP02" ? 0x02 : scp.protocol === "SCP03" ? SCP_IDENTIFIER.AES : SCP_IDENTIFIER.SM4
  const scpOid = Uint8Array.of(...hex("2A864886FC6B04"), scpId, scp.i)
  const inner = constructed(0x73, [
    tlv(0x06, OID_CARD_RECOGNITION),
    constructed(0x60, [tlv(0x06, OID_GP_23)]),
    constructed(0x63, [tlv(0x06, OID_CARD_ID_SCHEME)]),
    constructed(0x64, [tlv(0x06, scpOid)]),
  ])
  return encodeTlv(constructed(0x66, [inner]))
}

/** E0 with one C0 per key: key id, KVN, type, length (GP 2.3 §11.3.3.1, basic format). */
const keyInformation = (ctx: SdContext): Uint8Array =>
  encodeTlv(
    constructed(
      0xe0,
      ctx.sd.keySets.flatMap((k) =>
        [1, 2, 3].map((id) => tlv(0xc0, Uint8Array.of(id, k.kvn, k.type, k.enc.length))),
      ),
    ),
  )

export const getData = (ctx: SdContext, command: CommandApdu): Reply => {
  const tag = (command.p1 << 8) | command.p2
  switch (tag) {
    case 0x9f7f:
      return done(cplc(ctx))
    case 0x0066:
      return done(cardData(ctx))
    case 0x00e0:
      return done(keyInformation(ctx))
    case 0x0042:
      return done(encodeTlv(tlv(0x42, ctx.profile.cplcChip.subarray(0, 2))))
    case 0x0045:
      return done(encodeTlv(tlv(0x45, ctx.state.serial)))
    default:
      return fail("referenced-data-not-found")
  }
}
