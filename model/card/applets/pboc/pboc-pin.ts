/**
 * The card's offline PIN (the reference PIN an issuer may personalize, EMV 4.3 Book 3 §6.5.12
 * VERIFY) and the issuer script that changes or unblocks it, PIN CHANGE/UNBLOCK 84 24 00 P2
 * (Book 3 §6.5.10; Book 2 §9.3 confidentiality, §9.2 integrity):
 * - P2 = 00: unblock — the PIN try counter returns to the PIN try limit, no PIN data;
 * - P2 = 01: change, the new PIN block built with the current PIN;
 * - P2 = 02: change, the new PIN block built without the current PIN.
 * For 01 and 02 the data is the enciphered PIN data ‖ MAC: the issuer forms the VIS PIN block
 * (00*4 ‖ rightmost 4 bytes of the left half of MK-AC) ⊕ (N ‖ PIN digits ‖ F padding)
 * [⊕ current PIN digits, 0 padded, for P2 = 01] — the layout pyemv's `format_vis_pin_block`
 * documents for VIS, which PBOC 2.0's issuer scripts follow — prefixes its length, pads with
 * ISO 9797-1 method 2 and enciphers it in ECB under SK-SMC, the profile's script session key of
 * MK-SMC (PBOC process key). The MAC under SK-SMI covers the enciphered data (pboc-script.ts), so
 * the card checks the MAC before it deciphers anything.
 *
 * Storage (twin layout): internal record SFI 0 / 3 = PIN try limit ‖ PIN try counter ‖ reference
 * PIN block in ISO 9564 format 2 (2N PPPP…F, 8 bytes), from DGIs 8010 (the PIN block, DEK
 * encrypted, zero padded to 16) and 9010 (limit ‖ counter) as EMV CPS names them.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { concat, equalsConstantTime, xor } from "../../../bytes/bytes.ts"
import type { AppletContext, AppletResponse } from "../../applet.ts"
import { imageProfile } from "./pboc-cryptogram.ts"
import { field, findRecord, IMAGE, withRecord } from "./pboc-image.ts"
import { ICC_KEY_SFI } from "./pboc-oda-key.ts"
import type { PbocSession } from "./pboc-session.ts"

export const PIN_RECORD = 3
export const PIN_BLOCK_BYTES = 8
export const PIN_TRY_LIMIT_DEFAULT = 3
/** ISO 7816-4 §5.1.3: 63Cx, verification failed, x tries left. */
const WRONG_PIN = 0x63c0

const reply = (data: Uint8Array, sw: number): AppletResponse => ({ data, sw })
const NO_DATA = new Uint8Array(0)

/** The digits of an ISO 9564 format 2 block (2N then N digits then F), or null when malformed. */
export const pinOfFormat2 = (block: Uint8Array): string | null => {
  if (block.length !== PIN_BLOCK_BYTES || block[0]! >> 4 !== 0x2) return null
  const n = block[0]! & 0x0f
  const nibbles = Array.from(block.subarray(1), (b) => [b >> 4, b & 0x0f]).flat()
  if (n < 4 || n > 12 || nibbles.slice(0, n).some((d) => d > 9) || nibbles.slice(n).some((d) => d !== 0xf))
    return null
  return nibbles.slice(0, n).join("")
}

export const format2Block = (pin: string): Uint8Array => {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new RangeError("a PIN has 4 to 12 digits")
  const text = `2${pin.length.toString(16)}${pin}`.padEnd(16, "F")
  return Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(text.slice(2 * i, 2 * i + 2), 16))
}

/** DGI 8010's record (default try limit), or undefined when the block is not format 2. */
export const pinRecordOf = (plain: Uint8Array): Uint8Array | undefined => {
  const block = plain.subarray(0, PIN_BLOCK_BYTES)
  if (pinOfFormat2(block) === null || plain.subarray(PIN_BLOCK_BYTES).some((b) => b !== 0)) return undefined
  return concat(Uint8Array.of(PIN_TRY_LIMIT_DEFAULT, PIN_TRY_LIMIT_DEFAULT), block)
}

/** DGI 9010 (limit ‖ counter) applied to the PIN record; undefined without a record or when counter > limit. */
export const withPinCounters = (
  record: Uint8Array | undefined,
  value: Uint8Array,
): Uint8Array | undefined => {
  if (record === undefined || value.length !== 2 || value[0]! < 1 || value[0]! > 15 || value[1]! > value[0]!)
    return undefined
  return concat(value, record.subarray(2))
}

const pinRecord = (image: Uint8Array): Uint8Array | undefined => findRecord(image, ICC_KEY_SFI, PIN_RECORD)

/** The PIN try counter 9F17, or undefined on a card without an offline PIN. */
export const pinTryCounter = (image: Uint8Array): number | undefined => pinRecord(image)?.[1]

const store = (ctx: AppletContext<PbocSession>, record: Uint8Array): boolean => {
  const next = withRecord(ctx.state, { sfi: ICC_KEY_SFI, record: PIN_RECORD, data: record })
  if (next === undefined) return false
  ctx.setState(next)
  return true
}

/** VERIFY 00 20 00 80 with a plaintext format 2 PIN block (Book 3 §6.5.12). */
export const verifyPin = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  if (c.p1 !== 0x00 || c.p2 !== 0x80) return reply(NO_DATA, SW.INCORRECT_P1P2)
  if (c.data.length !== PIN_BLOCK_BYTES) return reply(NO_DATA, SW.WRONG_LENGTH)
  const record = pinRecord(ctx.state)
  if (record === undefined) return reply(NO_DATA, SW.REFERENCED_DATA_NOT_FOUND)
  if (record[1] === 0) return reply(NO_DATA, SW.AUTH_METHOD_BLOCKED)
  const good = equalsConstantTime(record.subarray(2), c.data)
  const left = good ? record[0]! : record[1]! - 1
  // The counter is written before the answer, so a power cut cannot give a free try.
  if (!store(ctx, concat(Uint8Array.of(record[0]!, left), record.subarray(2))))
    return reply(NO_DATA, SW.MEMORY_FAILURE)
  return reply(NO_DATA, good ? SW.OK : WRONG_PIN | left)
}

/** The rightmost 4 bytes of MK-AC's left key, 0 padded: the VIS PIN block's mask. */
const visMask = (image: Uint8Array): Uint8Array => concat(new Uint8Array(4), field(image, IMAGE.mkAc + 4, 4))

/** Current PIN digits, right padded with 0 to 16 nibbles (VIS "with current PIN"). */
const currentPinMask = (block: Uint8Array): Uint8Array => {
  const text = (pinOfFormat2(block) ?? "").padEnd(16, "0")
  return Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(text.slice(2 * i, 2 * i + 2), 16))
}

/** Deciphers len ‖ data ‖ 80 00… under SK-SMC; the data, or undefined when the layout is wrong. */
const decipher = (ctx: AppletContext<PbocSession>, data: Uint8Array): Uint8Array | undefined => {
  const session = ctx.session
  const profile = imageProfile(ctx.state)
  const block = profile.cipher === "SM4" ? 16 : 8
  if (data.length === 0 || data.length % block !== 0 || session.arqc === null) return undefined
  const mkSmc = field(ctx.state, IMAGE.mkSmc, 16)
  const sk = profile.scriptSessionKey(ctx.crypto, mkSmc, session.atc, session.arqc)
  const plain = ctx.crypto.decryptEcb(profile.cipher, sk, data)
  const length = plain[0]!
  const tail = plain.subarray(1 + length)
  if (1 + length >= plain.length || tail[0] !== 0x80 || tail.subarray(1).some((b) => b !== 0))
    return undefined
  return plain.slice(1, 1 + length)
}

/** PIN CHANGE/UNBLOCK after its MAC was checked; `value` is the data without the MAC. */
export const pinChangeUnblock = (
  ctx: AppletContext<PbocSession>,
  c: CommandApdu,
  value: Uint8Array,
): AppletResponse => {
  const record = pinRecord(ctx.state)
  if (record === undefined) return reply(NO_DATA, SW.REFERENCED_DATA_NOT_FOUND)
  if (c.p1 !== 0 || c.p2 > 2) return reply(NO_DATA, SW.INCORRECT_P1P2)
  let block = record.subarray(2)
  if (c.p2 !== 0) {
    const vis = decipher(ctx, value)
    if (vis === undefined || vis.length !== PIN_BLOCK_BYTES) return reply(NO_DATA, SW.INCORRECT_DATA)
    let clear = xor(vis, visMask(ctx.state))
    if (c.p2 === 1) clear = xor(clear, currentPinMask(block))
    // N ‖ digits ‖ F: the format 2 block without its control nibble.
    const pin = pinOfFormat2(Uint8Array.of(0x20 | clear[0]!, ...clear.subarray(1)))
    if (clear[0]! > 0x0f || pin === null) return reply(NO_DATA, SW.INCORRECT_DATA)
    block = format2Block(pin)
  } else if (value.length !== 0) return reply(NO_DATA, SW.WRONG_LENGTH)
  if (!store(ctx, concat(Uint8Array.of(record[0]!, record[0]!), block)))
    return reply(NO_DATA, SW.MEMORY_FAILURE)
  return reply(NO_DATA, SW.OK)
}
