/**
 * The cryptogram algorithm profiles of the PBOC payment applet: how the ICC master keys, session
 * keys, application cryptograms, ARPCs and issuer-script MACs are computed. A card stores the
 * profile's code in its image, so one card population can mix 3DES and SM4 cards.
 *
 * - `3des-emv` is EMV 4.3 Book 2 Annex A1 as PROTOCOLS.md §2.1 records it and the emv_arqc /
 *   emv_issuer_script_mac vectors check: option A ICC master key, common session key (A1.3.1),
 *   ISO 9797-1 MAC algorithm 3 ("retail MAC"), ARPC methods 1 and 2 (A1.4).
 * - `sm4-profile` is the twin's OWN, UNVERIFIED profile (PROTOCOLS.md §2.1 and §5: no public text or
 *   vector of PBOC 3.0's SM4 cryptogram layout was found). It keeps the EMV structure and swaps the
 *   cipher: because SM4 has a 16-byte block, each two-block 3DES derivation becomes one SM4 block
 *   (left half ‖ right half), MACs are ISO 9797-1 MAC algorithm 1 (CBC-MAC) with SM4 truncated to
 *   8 bytes, and no parity is adjusted (SM4 keys have none). Do not mistake it for the standard.
 *
 * The issuer (model/host/issuer) imports this file so that card and host use one definition; the
 * card never imports the host.
 */
import { concat, xor } from "../../../bytes/bytes.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import {
  applicationCryptogram,
  arpcMethod1,
  arpcMethod2,
  commonSessionKey,
  iccMasterKeyOptionA,
  issuerScriptMac,
} from "../../../crypto/emv-keys.ts"
import { mac9797Alg1 } from "../../../crypto/mac.ts"

export type AlgorithmProfileName = "3des-emv" | "sm4-profile"

/** ISO 9797-1 padding method for the application cryptogram: 1 = zeros, 2 = 80 00.. (EMV). */
export type AcPadding = 1 | 2

export interface AlgorithmProfile {
  readonly name: AlgorithmProfileName
  /** The byte that names the profile in the card image and in DGI 0D02 (twin convention). */
  readonly code: number
  /**
   * Cryptogram version number placed in the IAD (9F10 byte 3). 01 is PBOC 3.0's 3DES CVN as
   * commonly implemented; 0x71 marks the twin's own SM4 profile and means nothing outside it.
   */
  readonly cvn: number
  /** ICC master key from the issuer master key, option A (EMV 4.3 Book 2 A1.4.1). */
  readonly masterKey: (crypto: Crypto, imk: Uint8Array, pan: string, psn: string | null) => Uint8Array
  /** Session key from an ICC master key and the 8-byte diversification value R (A1.3.1). */
  readonly sessionKey: (crypto: Crypto, mk: Uint8Array, r: Uint8Array) => Uint8Array
  /** 8-byte application cryptogram (ARQC, TC, AAC) over the assembled input. */
  readonly applicationCryptogram: (
    crypto: Crypto,
    sk: Uint8Array,
    data: Uint8Array,
    padding: AcPadding,
  ) => Uint8Array
  /** ARPC method 1: 8 bytes from ARQC ⊕ (ARC ‖ 00*6) (A1.4.1). */
  readonly arpcMethod1: (crypto: Crypto, key: Uint8Array, arqc: Uint8Array, arc: Uint8Array) => Uint8Array
  /** ARPC method 2: 4 bytes from ARQC ‖ CSU ‖ proprietary authentication data (A1.4.2). */
  readonly arpcMethod2: (
    crypto: Crypto,
    key: Uint8Array,
    arqc: Uint8Array,
    csu: Uint8Array,
    proprietary: Uint8Array,
  ) => Uint8Array
  /** 8-byte issuer-script MAC (padding method 2); the command carries its leftmost 4 bytes. */
  readonly scriptMac: (crypto: Crypto, sk: Uint8Array, input: Uint8Array) => Uint8Array
}

export const TDES_EMV: AlgorithmProfile = {
  name: "3des-emv",
  code: 0x01,
  cvn: 0x01,
  masterKey: (crypto, imk, pan, psn) => iccMasterKeyOptionA(crypto, imk, pan, psn),
  sessionKey: (crypto, mk, r) => commonSessionKey(crypto, mk, r),
  applicationCryptogram: (crypto, sk, data, padding) => applicationCryptogram(crypto, sk, data, padding),
  arpcMethod1: (crypto, key, arqc, arc) => arpcMethod1(crypto, key, arqc, arc),
  arpcMethod2: (crypto, key, arqc, csu, proprietary) => arpcMethod2(crypto, key, arqc, csu, proprietary),
  scriptMac: (crypto, sk, input) => issuerScriptMac(crypto, sk, input),
}

const FF8 = new Uint8Array(8).fill(0xff)

/**
 * Y of option A: the rightmost 16 digits of PAN ‖ PSN (PSN "00" when absent), left-padded with
 * zeros, packed BCD (PROTOCOLS.md §2.1). A PAN that is not decimal is a programmer error here:
 * the issuer validates account data before it derives keys.
 */
export const optionAInput = (pan: string, psn: string | null): Uint8Array => {
  const digits = `${pan}${psn ?? "00"}`
  if (!/^[0-9]+$/.test(digits)) throw new RangeError(`PAN/PSN must be decimal digits: ${digits}`)
  const y = digits.slice(-16).padStart(16, "0")
  const out = new Uint8Array(8)
  for (let i = 0; i < 8; i++) out[i] = Number.parseInt(y.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** ISO 9797-1 MAC algorithm 1 with SM4 (CBC-MAC, IV 0), truncated to the leftmost 8 bytes. */
const sm4Mac8 = (crypto: Crypto, key: Uint8Array, data: Uint8Array, padding: AcPadding): Uint8Array =>
  mac9797Alg1(crypto, "SM4", key, data, padding).slice(0, 8)

/** R with byte 2 set, as A1.3.1 does for the two halves of the common session key. */
const withByte2 = (r: Uint8Array, value: number): Uint8Array => {
  const out = r.slice()
  out[2] = value
  return out
}

export const SM4_PROFILE: AlgorithmProfile = {
  name: "sm4-profile",
  code: 0x04,
  cvn: 0x71,
  masterKey: (crypto, imk, pan, psn) => {
    const y = optionAInput(pan, psn)
    return crypto.encryptEcb("SM4", imk, concat(y, xor(y, FF8)))
  },
  sessionKey: (crypto, mk, r) => {
    if (r.length !== 8) throw new RangeError(`session key diversification R must be 8 bytes, not ${r.length}`)
    return crypto.encryptEcb("SM4", mk, concat(withByte2(r, 0xf0), withByte2(r, 0x0f)))
  },
  applicationCryptogram: (crypto, sk, data, padding) => sm4Mac8(crypto, sk, data, padding),
  arpcMethod1: (crypto, key, arqc, arc) => {
    const block = new Uint8Array(16)
    block.set(arqc)
    block[0]! ^= arc[0]!
    block[1]! ^= arc[1]!
    return crypto.encryptEcb("SM4", key, block).slice(0, 8)
  },
  arpcMethod2: (crypto, key, arqc, csu, proprietary) =>
    sm4Mac8(crypto, key, concat(arqc, csu, proprietary), 2).slice(0, 4),
  scriptMac: (crypto, sk, input) => sm4Mac8(crypto, sk, input, 2),
}

export const ALGORITHM_PROFILES: ReadonlyArray<AlgorithmProfile> = [TDES_EMV, SM4_PROFILE]

/** The profile a card image names, or undefined for an unknown code (a refused personalization). */
export const profileByCode = (code: number): AlgorithmProfile | undefined =>
  ALGORITHM_PROFILES.find((p) => p.code === code)

export const profileByName = (name: AlgorithmProfileName): AlgorithmProfile =>
  name === "3des-emv" ? TDES_EMV : SM4_PROFILE
