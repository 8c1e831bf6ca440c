/**
 * The cryptogram algorithm profiles of the PBOC payment applet: how the ICC master keys, session
 * keys, application cryptograms, ARPCs and issuer-script MACs are computed. A card stores the
 * profile's code in its image and names its CVN in the IAD (9F10 byte 3), so one card population
 * can mix profiles and the issuer host knows which one a cryptogram used.
 *
 * - `3des-pboc` (CVN 01) is what a PBOC 3.0 issuer host expects of a 3DES card: option A ICC
 *   master keys (EMV 4.3 Book 2 A1.4.1), PBOC's process keys (JR/T 0025; `pbocProcessKey`)
 *   derived from the ATC for the application cryptogram and ARPC (MK-AC) and for issuer-script
 *   secure messaging (MK-SMI for the MAC, MK-SMC for encryption), ISO 9797-1 MAC algorithm 3,
 *   ARPC method 1 keyed with the AC process key. Checked by the `pboc_atc` emv_arqc vectors.
 * - `3des-emv` is the EMV common session key variant, kept as a separately identified profile:
 *   the same structure with Book 2 A1.3.1 session keys, R = ATC ‖ 00*6 for the AC key and
 *   R = ARQC for the script keys (pyemv sm.py). Checked by the `emv_common` vectors. Its CVN 0A is
 *   a twin value that only tells the host which of the twin's profiles the card used.
 * - `sm4-profile` is the twin's OWN, UNVERIFIED profile (PROTOCOLS.md §2.1 and §5: no public text
 *   or vector of PBOC 3.0's SM4 cryptogram layout was found). It keeps the PBOC structure and swaps
 *   the cipher: because SM4 has a 16-byte block, each two-block 3DES derivation becomes one SM4
 *   block (left half ‖ right half) — the process key is SM4(MK, 00*6 ‖ ATC ‖ 00*6 ‖ ATC ⊕ FFFF) —
 *   MACs are ISO 9797-1 MAC algorithm 1 (CBC-MAC) with SM4 truncated to 8 bytes, and no parity is
 *   adjusted (SM4 keys have none). Do not mistake it for the standard.
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
  pbocProcessKey,
} from "../../../crypto/emv-keys.ts"
import { mac9797Alg1 } from "../../../crypto/mac.ts"

export type AlgorithmProfileName = "3des-pboc" | "3des-emv" | "sm4-profile"

/** How session keys come from ICC master keys (vectors/README.md `session_key_method`). */
export type SessionKeyMethod = "emv_common" | "pboc_atc"

/** ISO 9797-1 padding method for the application cryptogram: 1 = zeros, 2 = 80 00.. (EMV). */
export type AcPadding = 1 | 2

export interface AlgorithmProfile {
  readonly name: AlgorithmProfileName
  /** The byte that names the profile in the card image and in DGI 0D02 (twin convention). */
  readonly code: number
  /**
   * Cryptogram version number placed in the IAD (9F10 byte 3). 01 is PBOC 3.0's 3DES CVN as
   * commonly implemented; 0x0A (EMV common keys) and 0x71 (the twin's own SM4 profile) are twin
   * values that mean nothing outside it.
   */
  readonly cvn: number
  readonly sessionKeyMethod: SessionKeyMethod
  /** The block cipher of keys, cryptograms and script encipherment (8-byte blocks for TDES, 16 for SM4). */
  readonly cipher: "TDES" | "SM4"
  /** ICC master key from the issuer master key, option A (EMV 4.3 Book 2 A1.4.1). */
  readonly masterKey: (crypto: Crypto, imk: Uint8Array, pan: string, psn: string | null) => Uint8Array
  /** Session key for the application cryptogram (and the ARPC) of the transaction with this ATC. */
  readonly acSessionKey: (crypto: Crypto, mkAc: Uint8Array, atc: number) => Uint8Array
  /**
   * Session key for issuer-script secure messaging (from MK-SMI for the MAC, MK-SMC for
   * encryption) in the online transaction with this ATC and ARQC; each profile uses what its
   * method needs.
   */
  readonly scriptSessionKey: (crypto: Crypto, mk: Uint8Array, atc: number, arqc: Uint8Array) => Uint8Array
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

/** R = ATC ‖ 00*6, the common session key's diversification for AC keys (Book 2 A1.3.1). */
export const atcDiversifier = (atc: number): Uint8Array =>
  new Uint8Array([atc >> 8, atc & 0xff, 0, 0, 0, 0, 0, 0])

const TDES_COMMON_PARTS = {
  cipher: "TDES" as const,
  masterKey: (crypto: Crypto, imk: Uint8Array, pan: string, psn: string | null) =>
    iccMasterKeyOptionA(crypto, imk, pan, psn),
  applicationCryptogram: (crypto: Crypto, sk: Uint8Array, data: Uint8Array, padding: AcPadding) =>
    applicationCryptogram(crypto, sk, data, padding),
  arpcMethod1: (crypto: Crypto, key: Uint8Array, arqc: Uint8Array, arc: Uint8Array) =>
    arpcMethod1(crypto, key, arqc, arc),
  arpcMethod2: (
    crypto: Crypto,
    key: Uint8Array,
    arqc: Uint8Array,
    csu: Uint8Array,
    proprietary: Uint8Array,
  ) => arpcMethod2(crypto, key, arqc, csu, proprietary),
  scriptMac: (crypto: Crypto, sk: Uint8Array, input: Uint8Array) => issuerScriptMac(crypto, sk, input),
} satisfies Partial<AlgorithmProfile>

export const TDES_PBOC: AlgorithmProfile = {
  ...TDES_COMMON_PARTS,
  name: "3des-pboc",
  code: 0x01,
  cvn: 0x01,
  sessionKeyMethod: "pboc_atc",
  acSessionKey: (crypto, mk, atc) => pbocProcessKey(crypto, mk, atc),
  scriptSessionKey: (crypto, mk, atc) => pbocProcessKey(crypto, mk, atc),
}

export const TDES_EMV: AlgorithmProfile = {
  ...TDES_COMMON_PARTS,
  name: "3des-emv",
  code: 0x02,
  cvn: 0x0a,
  sessionKeyMethod: "emv_common",
  acSessionKey: (crypto, mk, atc) => commonSessionKey(crypto, mk, atcDiversifier(atc)),
  scriptSessionKey: (crypto, mk, _atc, arqc) => commonSessionKey(crypto, mk, arqc),
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

/**
 * The twin's SM4 process key: PBOC's two 3DES blocks 00*6 ‖ ATC and 00*6 ‖ (ATC ⊕ FFFF) as the
 * two halves of one SM4 block (twin's own, see the file comment).
 */
export const sm4ProcessKey = (crypto: Crypto, mk: Uint8Array, atc: number): Uint8Array => {
  if (!Number.isInteger(atc) || atc < 0 || atc > 0xffff) throw new RangeError(`ATC is 2 bytes, not ${atc}`)
  const block = new Uint8Array(16)
  block[6] = atc >> 8
  block[7] = atc & 0xff
  block[14] = (atc ^ 0xffff) >> 8
  block[15] = (atc ^ 0xffff) & 0xff
  return crypto.encryptEcb("SM4", mk, block)
}

export const SM4_PROFILE: AlgorithmProfile = {
  name: "sm4-profile",
  code: 0x04,
  cvn: 0x71,
  cipher: "SM4",
  masterKey: (crypto, imk, pan, psn) => {
    const y = optionAInput(pan, psn)
    return crypto.encryptEcb("SM4", imk, concat(y, xor(y, FF8)))
  },
  sessionKeyMethod: "pboc_atc",
  acSessionKey: (crypto, mk, atc) => sm4ProcessKey(crypto, mk, atc),
  scriptSessionKey: (crypto, mk, atc) => sm4ProcessKey(crypto, mk, atc),
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

export const ALGORITHM_PROFILES: ReadonlyArray<AlgorithmProfile> = [TDES_PBOC, TDES_EMV, SM4_PROFILE]

/** The profile a card image names, or undefined for an unknown code (a refused personalization). */
export const profileByCode = (code: number): AlgorithmProfile | undefined =>
  ALGORITHM_PROFILES.find((p) => p.code === code)

export const profileByName = (name: AlgorithmProfileName): AlgorithmProfile =>
  ALGORITHM_PROFILES.find((p) => p.name === name)!

/** The profile an IAD's CVN names (9F10 byte 3), or undefined for a CVN the twin does not issue. */
export const profileByCvn = (cvn: number): AlgorithmProfile | undefined =>
  ALGORITHM_PROFILES.find((p) => p.cvn === cvn)
