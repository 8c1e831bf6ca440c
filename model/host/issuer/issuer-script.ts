/**
 * Issuer scripts for the PBOC applet (EMV 4.3 Book 2 §9.2; PROTOCOLS.md §2.1-§2.2): the 圈存 load
 * (PUT DATA 9F79 with the new balance), updates of the e-cash limits, APPLICATION BLOCK and
 * UNBLOCK, each with the 4-byte MAC the card checks in pboc-script.ts. SK-SMI is the profile's
 * script session key of MK-SMI (PBOC process key from the ATC; the EMV profile's common session
 * key with R = ARQC), and the MAC input names ATC and ARQC, so a script is bound to the online
 * transaction it answers. No command here carries secret data, so none needs SMC
 * encryption.
 */
import { type CommandApdu, command } from "../../apdu/command.ts"
import { concat } from "../../bytes/bytes.ts"
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import { encodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"

export const SCRIPT_MAC_BYTES = 4

/** What a script command is bound to: the card's ATC and ARQC of the online transaction. */
export interface ScriptBinding {
  readonly atc: number
  readonly arqc: Uint8Array
}

export const smiSessionKey = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  mkSmi: Uint8Array,
  binding: ScriptBinding,
): Uint8Array => profile.scriptSessionKey(crypto, mkSmi, binding.atc, binding.arqc)

/** MAC input: CLA INS P1 P2 Lc (counting the MAC) ‖ ATC ‖ ARQC ‖ data. */
export const scriptMacInput = (
  header: readonly [number, number, number, number],
  binding: ScriptBinding,
  value: Uint8Array,
): Uint8Array =>
  concat(
    new Uint8Array([...header, value.length + SCRIPT_MAC_BYTES]),
    new Uint8Array([binding.atc >> 8, binding.atc & 0xff]),
    binding.arqc,
    value,
  )

/** Builds one script command with its MAC. */
export const scriptCommand = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmi: Uint8Array,
  header: readonly [number, number, number, number],
  binding: ScriptBinding,
  value: Uint8Array,
): CommandApdu => {
  const mac = profile.scriptMac(crypto, skSmi, scriptMacInput(header, binding, value))
  const [cla, ins, p1, p2] = header
  return command(cla, ins, p1, p2, concat(value, mac.subarray(0, SCRIPT_MAC_BYTES)))
}

/** PUT DATA of an e-cash amount (04 DA tag, PROTOCOLS.md §2.2); the 圈存 load writes 9F79. */
export const putAmountScript = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmi: Uint8Array,
  binding: ScriptBinding,
  tag: number,
  amountFen: number,
): CommandApdu =>
  scriptCommand(crypto, profile, skSmi, [0x04, 0xda, tag >> 8, tag & 0xff], binding, encodeN12(amountFen))

/**
 * The 圈存 load: the issuer debits the account by `loadFen` and sets the card balance to the old
 * balance (as the card reported it in this transaction) plus the load. The caller checks 9F77.
 */
export const loadScript = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmi: Uint8Array,
  binding: ScriptBinding,
  balanceBeforeFen: number,
  loadFen: number,
): CommandApdu => putAmountScript(crypto, profile, skSmi, binding, TAG.balance, balanceBeforeFen + loadFen)

/** APPLICATION BLOCK 84 1E 00 00 04 MAC (Book 3 §6.5.1). */
export const blockScript = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmi: Uint8Array,
  binding: ScriptBinding,
) => scriptCommand(crypto, profile, skSmi, [0x84, 0x1e, 0, 0], binding, new Uint8Array(0))

/** APPLICATION UNBLOCK 84 18 00 00 04 MAC (Book 3 §6.5.2). */
export const unblockScript = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  skSmi: Uint8Array,
  binding: ScriptBinding,
) => scriptCommand(crypto, profile, skSmi, [0x84, 0x18, 0, 0], binding, new Uint8Array(0))
