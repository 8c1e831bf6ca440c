/**
 * The proximity payment system environment "2PAY.SYS.DDF01" (EMV Contactless Book B §3.3,
 * PROTOCOLS.md §2.2) as its own small applet: SELECT answers the FCI whose discretionary template
 * BF0C lists the payment applications as 61 templates (4F AID, 50 label, 87 priority). The list
 * is personalized (DGI 9102 = the BF0C contents), because only the issuer's data preparation
 * knows which payment instances it installed.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { hex } from "../../../bytes/hex.ts"
import { ok } from "../../../bytes/result.ts"
import { constructed, decodeTlv, encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import { decodeDgi } from "../../../tlv/dgi.ts"
import type { AppletClass, AppletContext, AppletResponse, StoreDataBlock } from "../../applet.ts"
import { DGI, PPSE_NAME, TAG } from "./pboc-constants.ts"

/** Twin convention: the PPSE module AID is the PBOC RID ‖ "5050534500". */
export const PPSE_MODULE_AID = hex("A0000003335050534500")
/** Room for five 61 templates with labels. */
export const PPSE_STATE_BYTES_MAX = 160

const NO_DATA = new Uint8Array(0)

const select = (ctx: AppletContext<null>, c: CommandApdu): AppletResponse => {
  if (c.p1 !== 0x04) return { data: NO_DATA, sw: SW.INCORRECT_P1P2 }
  if (ctx.state.length === 0) return { data: NO_DATA, sw: SW.FILE_NOT_FOUND }
  const discretionary = { tag: TAG.fciDiscretionary, value: ctx.state.slice() }
  const fci = constructed(TAG.fci, [
    tlv(TAG.dfName, PPSE_NAME),
    { tag: TAG.fciProprietary, value: encodeTlv(discretionary) },
  ])
  return { data: encodeTlv(fci), sw: SW.OK }
}

const personalize = (ctx: AppletContext<null>, block: StoreDataBlock): AppletResponse => {
  const groups = decodeDgi(block.data)
  if (!groups.ok || groups.value.length !== 1 || groups.value[0]!.dgi !== DGI.fci) {
    return { data: NO_DATA, sw: SW.INCORRECT_DATA }
  }
  const value = groups.value[0]!.value
  const items = decodeTlv(value)
  const templatesOnly = items.ok && items.value.every((item) => item.tag === TAG.appTemplate)
  if (!templatesOnly) return { data: NO_DATA, sw: SW.INCORRECT_DATA }
  if (value.length > PPSE_STATE_BYTES_MAX) return { data: NO_DATA, sw: SW.NOT_ENOUGH_MEMORY }
  ctx.setState(value.slice())
  return { data: NO_DATA, sw: SW.OK }
}

export const PPSE_APPLET: AppletClass<null> = {
  name: "pboc-ppse",
  moduleAid: PPSE_MODULE_AID,
  stateBytesMax: PPSE_STATE_BYTES_MAX,
  install: () => ok(new Uint8Array(0)),
  newSession: () => null,
  select,
  process: () => ({ data: NO_DATA, sw: SW.INS_NOT_SUPPORTED }),
  personalize,
}
