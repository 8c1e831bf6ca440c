/**
 * The issuer's PIN CHANGE/UNBLOCK script (EMV 4.3 Book 3 §6.5.10; the card side and the layout's
 * basis are in model/card/applets/pboc/pboc-pin.ts): the new PIN as a VIS PIN block, enciphered
 * under SK-SMC — the profile's script session key of MK-SMC, PBOC's process key — then MAC'd under
 * SK-SMI like every script command (issuer-script.ts), encipher-then-MAC as Book 2 §9.3 orders it.
 *
 * Encipherment (Book 2 §9.3.1, the VIS/PBOC form): length byte ‖ data ‖ ISO 9797-1 padding
 * method 2 to the cipher's block, ECB under SK-SMC (3DES for the PBOC and EMV profiles, SM4 for the
 * twin's own SM4 profile).
 */
import type { CommandApdu } from "../../apdu/command.ts"
import { concat, xor } from "../../bytes/bytes.ts"
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { IccMasterKeys } from "./issuer-keys.ts"
import { type ScriptBinding, scriptCommand, smiSessionKey } from "./issuer-script.ts"

const digitsToBytes = (text: string): Uint8Array =>
  Uint8Array.from({ length: text.length / 2 }, (_, i) => Number.parseInt(text.slice(2 * i, 2 * i + 2), 16))

/**
 * The VIS PIN block: (00*4 ‖ MK-AC bytes 5-8) ⊕ (N ‖ PIN ‖ F padding) [⊕ current PIN, 0 padded].
 * pyemv documents 0123456789ABCDEFFEDCBA9876543210 with PIN 1234 → 041234FF76543210.
 */
export const visPinBlock = (mkAc: Uint8Array, pin: string, currentPin?: string): Uint8Array => {
  if (!/^[0-9]{4,12}$/.test(pin) || (currentPin !== undefined && !/^[0-9]{4,12}$/.test(currentPin)))
    throw new RangeError("a PIN has 4 to 12 digits")
  const mask = concat(new Uint8Array(4), mkAc.subarray(4, 8))
  const block = xor(mask, digitsToBytes(`${pin.length.toString(16).padStart(2, "0")}${pin}`.padEnd(16, "F")))
  return currentPin === undefined ? block : xor(block, digitsToBytes(currentPin.padEnd(16, "0")))
}

/** Length ‖ data ‖ 80 00…, enciphered in ECB under SK-SMC. */
export const encipherScriptData = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmc: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  const block = profile.cipher === "SM4" ? 16 : 8
  const framed = concat(Uint8Array.of(data.length), data, Uint8Array.of(0x80))
  const padded = new Uint8Array(Math.ceil(framed.length / block) * block)
  padded.set(framed)
  return crypto.encryptEcb(profile.cipher, skSmc, padded)
}

export type PinScript =
  | { readonly kind: "unblock" }
  | { readonly kind: "change"; readonly newPin: string; readonly currentPin?: string }

/** 84 24 00 P2: P2 00 unblock, 01 change with the current PIN, 02 change without it. */
export const pinChangeUnblockScript = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  keys: IccMasterKeys,
  binding: ScriptBinding,
  script: PinScript,
): CommandApdu => {
  const skSmi = smiSessionKey(crypto, profile, keys.mkSmi, binding)
  if (script.kind === "unblock")
    return scriptCommand(crypto, profile, skSmi, [0x84, 0x24, 0, 0], binding, new Uint8Array(0))
  const skSmc = profile.scriptSessionKey(crypto, keys.mkSmc, binding.atc, binding.arqc)
  const pinData = encipherScriptData(
    crypto,
    profile,
    skSmc,
    visPinBlock(keys.mkAc, script.newPin, script.currentPin),
  )
  const p2 = script.currentPin === undefined ? 0x02 : 0x01
  return scriptCommand(crypto, profile, skSmi, [0x84, 0x24, 0, p2], binding, pinData)
}
