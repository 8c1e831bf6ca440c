/**
 * Personalization of the PBOC applet: STORE DATA blocks forwarded by the security domain
 * (GP 2.3 §11.11), each carrying one or more DGIs of the map in pboc-constants.ts (EMV CPS v1.1
 * conventions). The applet becomes usable when every required DGI has arrived and a block marked
 * last (P1 b8) closes the session; it then moves its GP life cycle to PERSONALIZED (0F).
 *
 * DGI 8000 (the ICC master keys), and the ODA key and offline PIN DGIs (8101, 8102, 8010), are decrypted with the secure channel's DEK when STORE DATA P1
 * b6-b5 = 11 says the block is encrypted (GP 2.3 §11.11.2.1, CPS §4.3); other DGIs are plain.
 */
import { SW } from "../../../apdu/status-words.ts"
import { decodeTlv, findTag, type Tlv } from "../../../tlv/ber-tlv.ts"
import { decodeDgi } from "../../../tlv/dgi.ts"
import type { AppletContext, AppletResponse, StoreDataBlock } from "../../applet.ts"
import { profileByCode } from "./algorithm-profile.ts"
import { decodeN12 } from "./n12-amount.ts"
import { DGI, TAG } from "./pboc-constants.ts"
import {
  AFL_BYTES_MAX,
  FCI_BYTES_MAX,
  findRecord,
  IMAGE,
  KEY_BYTES,
  PERSO_COMPLETE,
  PERSO_ECASH,
  PERSO_FCI,
  PERSO_GPO,
  PERSO_KEYS,
  PERSO_PROFILE,
  PERSO_RECORDS,
  PersoState,
  withRecord,
} from "./pboc-image.ts"
import { crtMatches, ICC_KEY_SFI, keyRecord1, keyRecord2 } from "./pboc-oda-key.ts"
import { PIN_RECORD, pinRecordOf, withPinCounters } from "./pboc-pin.ts"
import type { PbocSession } from "./pboc-session.ts"

const P1_LAST_BLOCK = 0x80
const P1_ENCRYPTION_MASK = 0x60
const P1_ENCRYPTED = 0x60
/** GP 2.3 §5.3.1 Table 5-2: application life cycle PERSONALIZED (application-specific value). */
const LIFE_CYCLE_PERSONALIZED = 0x0f

const reply = (sw: number): AppletResponse => ({ data: new Uint8Array(0), sw })

export const personalize = (ctx: AppletContext<PbocSession>, block: StoreDataBlock): AppletResponse => {
  if (ctx.state[IMAGE.state] !== PersoState.empty) return reply(SW.CONDITIONS_NOT_SATISFIED)
  const groups = decodeDgi(block.data)
  if (!groups.ok) return reply(SW.INCORRECT_DATA)
  // The block is applied to a working copy that replaces the state once at the end, so a refused
  // DGI leaves nothing of its block behind and records may grow the image freely.
  const work: Work = { ctx, image: ctx.state.slice() }
  for (const group of groups.value) {
    const sw = storeGroup(work, group.dgi, group.value, (block.p1 & P1_ENCRYPTION_MASK) === P1_ENCRYPTED)
    if (sw !== SW.OK) return reply(sw)
  }
  const complete = (block.p1 & P1_LAST_BLOCK) !== 0 && work.image[IMAGE.persoFlags] === PERSO_COMPLETE
  if (complete) work.image[IMAGE.state] = PersoState.personalized
  ctx.setState(work.image)
  if (complete) ctx.setLifeCycle(LIFE_CYCLE_PERSONALIZED)
  return reply(SW.OK)
}

interface Work {
  readonly ctx: AppletContext<PbocSession>
  image: Uint8Array
}

const storeGroup = (work: Work, dgi: number, value: Uint8Array, encrypted: boolean): number => {
  const image = work.image
  const sfi = dgi >> 8
  const record = dgi & 0xff
  if (sfi >= 1 && sfi <= 30 && record >= 1 && record <= 16 && dgi !== DGI.ecash && dgi !== DGI.profile) {
    return storeRecord(work, sfi, record, value)
  }
  switch (dgi) {
    case DGI.keys:
      return storeKeys(work, value, encrypted)
    case DGI.fci:
      return storeBounded(image, IMAGE.fciLength, IMAGE.fci, FCI_BYTES_MAX, value, PERSO_FCI)
    case DGI.gpo:
      return storeGpo(image, value)
    case DGI.ecash:
      return storeEcash(image, value)
    case DGI.profile:
      return storeProfile(image, value)
    case DGI.iccPrivateKey:
    case DGI.iccPrivateKeyCrt:
      return storeIccPrivateKey(work, dgi, value, encrypted)
    case DGI.offlinePin:
    case DGI.pinCounters:
      return storePin(work, dgi, value, encrypted)
    default:
      return SW.REFERENCED_DATA_NOT_FOUND
  }
}

const storeRecord = (work: Work, sfi: number, record: number, value: Uint8Array): number => {
  const decoded = decodeTlv(value)
  if (!decoded.ok || decoded.value.length !== 1 || decoded.value[0]!.tag !== TAG.record)
    return SW.INCORRECT_DATA
  const next = withRecord(work.image, { sfi, record, data: value })
  if (next === undefined) return SW.NOT_ENOUGH_MEMORY
  next[IMAGE.persoFlags]! |= PERSO_RECORDS
  work.image = next
  return SW.OK
}

/**
 * DGIs 8101 and 8102 (pboc-oda-key.ts): 8101 kept as the internal record SFI 0 / 1, which READ
 * RECORD never returns (SFI 0 is not a file a terminal may read, pboc-applet.ts); 8102 checked
 * against the CRT parts the card derives from 8101, and not kept.
 */
const storeIccPrivateKey = (work: Work, dgi: number, value: Uint8Array, encrypted: boolean): number => {
  let plain = value
  if (encrypted) {
    const decrypted = work.ctx.secureChannel.decryptData(value)
    if (!decrypted.ok) return SW.CONDITIONS_NOT_SATISFIED
    plain = decrypted.value
  }
  const record1 = findRecord(work.image, ICC_KEY_SFI, 1)
  if (dgi === DGI.iccPrivateKeyCrt) {
    // Checked, not stored: the card derives the CRT parts from p and q (pboc-oda-key.ts).
    const crt = keyRecord2(record1, plain)
    return crt !== undefined && record1 !== undefined && crtMatches(record1, crt) ? SW.OK : SW.INCORRECT_DATA
  }
  const record = keyRecord1(plain)
  if (record === undefined) return SW.INCORRECT_DATA
  const next = withRecord(work.image, { sfi: ICC_KEY_SFI, record: dgi & 0xff, data: record })
  if (next === undefined) return SW.NOT_ENOUGH_MEMORY
  work.image = next
  return SW.OK
}

/** DGI 8010 (the reference PIN, encrypted) and 9010 (try limit ‖ counter, after 8010): pboc-pin.ts. */
const storePin = (work: Work, dgi: number, value: Uint8Array, encrypted: boolean): number => {
  let plain = value
  if (dgi === DGI.offlinePin && encrypted) {
    const decrypted = work.ctx.secureChannel.decryptData(value)
    if (!decrypted.ok) return SW.CONDITIONS_NOT_SATISFIED
    plain = decrypted.value
  }
  const record =
    dgi === DGI.offlinePin
      ? pinRecordOf(plain)
      : withPinCounters(findRecord(work.image, ICC_KEY_SFI, PIN_RECORD), plain)
  if (record === undefined) return SW.INCORRECT_DATA
  const next = withRecord(work.image, { sfi: ICC_KEY_SFI, record: PIN_RECORD, data: record })
  if (next === undefined) return SW.NOT_ENOUGH_MEMORY
  work.image = next
  return SW.OK
}

const storeKeys = (work: Work, value: Uint8Array, encrypted: boolean): number => {
  let keys = value
  if (encrypted) {
    const plain = work.ctx.secureChannel.decryptData(value)
    if (!plain.ok) return SW.CONDITIONS_NOT_SATISFIED
    keys = plain.value
  }
  if (keys.length !== 3 * KEY_BYTES) return SW.INCORRECT_DATA
  work.image.set(keys, IMAGE.mkAc)
  work.image[IMAGE.persoFlags]! |= PERSO_KEYS
  return SW.OK
}

const storeBounded = (
  image: Uint8Array,
  lengthAt: number,
  at: number,
  max: number,
  value: Uint8Array,
  flag: number,
): number => {
  if (value.length > max) return SW.NOT_ENOUGH_MEMORY
  image[lengthAt] = value.length
  image.set(value, at)
  image[IMAGE.persoFlags]! |= flag
  return SW.OK
}

const tlvs = (value: Uint8Array): ReadonlyArray<Tlv> | undefined => {
  const decoded = decodeTlv(value)
  return decoded.ok ? decoded.value : undefined
}

const storeGpo = (image: Uint8Array, value: Uint8Array): number => {
  const items = tlvs(value)
  const aip = items && findTag(items, TAG.aip)
  const aflTlv = items && findTag(items, TAG.afl)
  if (aip === undefined || aip.value.length !== 2 || aflTlv === undefined) return SW.INCORRECT_DATA
  // Book 3 §10.2: an AFL is a list of 4-byte entries.
  if (aflTlv.value.length % 4 !== 0 || aflTlv.value.length === 0) return SW.INCORRECT_DATA
  image.set(aip.value, IMAGE.aip)
  return storeBounded(image, IMAGE.aflLength, IMAGE.afl, AFL_BYTES_MAX, aflTlv.value, PERSO_GPO)
}

const ECASH_FIELDS: ReadonlyArray<readonly [number, number]> = [
  [TAG.balance, IMAGE.balance],
  [TAG.balanceLimit, IMAGE.balanceLimit],
  [TAG.singleLimit, IMAGE.singleLimit],
  [TAG.resetThreshold, IMAGE.resetThreshold],
]

const storeEcash = (image: Uint8Array, value: Uint8Array): number => {
  const items = tlvs(value)
  if (items === undefined) return SW.INCORRECT_DATA
  const amounts = ECASH_FIELDS.map(([tag, at]) => {
    const item = findTag(items, tag)
    const fen = item === undefined ? undefined : decodeN12(item.value)
    return fen?.ok === true && item !== undefined ? { at, bytes: item.value, fen: fen.value } : undefined
  })
  if (amounts.some((a) => a === undefined)) return SW.INCORRECT_DATA
  // The balance may not start above its own limit (PROTOCOLS.md §2.2).
  if (amounts[0]!.fen > amounts[1]!.fen) return SW.INCORRECT_DATA
  for (const a of amounts) image.set(a!.bytes, a!.at)
  image[IMAGE.persoFlags]! |= PERSO_ECASH
  return SW.OK
}

const storeProfile = (image: Uint8Array, value: Uint8Array): number => {
  const items = tlvs(value)
  const code = items && findTag(items, TAG.profile)
  const dki = items && findTag(items, TAG.dki)
  if (code === undefined || code.value.length !== 1 || dki === undefined || dki.value.length !== 1) {
    return SW.INCORRECT_DATA
  }
  if (profileByCode(code.value[0]!) === undefined) return SW.INCORRECT_DATA
  image[IMAGE.profile] = code.value[0]!
  image[IMAGE.dki] = dki.value[0]!
  image[IMAGE.persoFlags]! |= PERSO_PROFILE
  return SW.OK
}
