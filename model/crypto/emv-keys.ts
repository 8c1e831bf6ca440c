/**
 * EMV key derivation and cryptograms with TDES (EMV 4.3 Book 2 Annex A1), as PBOC 3.0 uses them:
 * ICC master key option A, the common session key, ARPC methods 1 and 2, the application
 * cryptogram and the issuer-script MAC (PROTOCOLS.md §2.1; checked against pyemv's vectors), and
 * PBOC 3.0's process key (过程密钥, JR/T 0025), which PBOC uses where EMV uses the common session key.
 */
import type { Crypto } from "./crypto.ts"
import { type PaddingMethod, retailMac } from "./mac.ts"

/** Each byte's low bit set so the byte has an odd number of 1 bits (FIPS 46-3 key parity). */
export const adjustOddParity = (key: Uint8Array): Uint8Array => {
  const out = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) {
    const high = key[i]! & 0xfe
    let ones = 0
    for (let bit = 1; bit < 8; bit++) ones += (high >> bit) & 1
    out[i] = high | (ones % 2 === 0 ? 1 : 0)
  }
  return out
}

/** Y of option A: the rightmost 16 digits of PAN ‖ PSN ("00" if absent), zero-filled, packed BCD. */
const optionAInput = (pan: string, psn: string | null): Uint8Array => {
  const digits = `${pan}${psn ?? "00"}`
  if (!/^[0-9]+$/.test(digits)) throw new RangeError(`PAN and PSN must be decimal digits, got ${digits}`)
  const y = digits.slice(-16).padStart(16, "0")
  const out = new Uint8Array(8)
  for (let i = 0; i < 8; i++) out[i] = (y.charCodeAt(2 * i) - 48) * 16 + (y.charCodeAt(2 * i + 1) - 48)
  return out
}

/**
 * Book 2 A1.4.1 option A: MK = TDES(IMK, Y) ‖ TDES(IMK, Y ⊕ FF*8), odd parity adjusted. Both halves
 * come from one two-block ECB call. Callers validate PAN and PSN first (a non-digit is their bug).
 */
export const iccMasterKeyOptionA = (
  crypto: Crypto,
  imk: Uint8Array,
  pan: string,
  psn: string | null,
): Uint8Array => {
  const y = optionAInput(pan, psn)
  const input = new Uint8Array(16)
  input.set(y)
  for (let i = 0; i < 8; i++) input[8 + i] = y[i]! ^ 0xff
  return adjustOddParity(crypto.encryptEcb("TDES", imk, input))
}

/**
 * Book 2 A1.3.1 common session key: SK = TDES(MK, R with byte 2 = F0) ‖ TDES(MK, R with byte 2 = 0F),
 * odd parity adjusted; R is ATC ‖ 00*6 for cryptograms (or ATC ‖ 00 00 ‖ UN, or the ARQC for
 * script keys, as the scheme decides).
 */
export const commonSessionKey = (crypto: Crypto, mk: Uint8Array, r: Uint8Array): Uint8Array => {
  if (r.length !== 8) throw new RangeError(`R has 8 bytes, not ${r.length}`)
  const input = new Uint8Array(16)
  input.set(r, 0)
  input.set(r, 8)
  input[2] = 0xf0
  input[10] = 0x0f
  return adjustOddParity(crypto.encryptEcb("TDES", mk, input))
}

/**
 * PBOC 3.0 process key (JR/T 0025; vectors/README.md `pboc_atc`): SK = TDES(MK, 00*6 ‖ ATC) ‖
 * TDES(MK, 00*6 ‖ (ATC ⊕ FFFF)), without parity adjustment. PBOC derives the application
 * cryptogram key, the ARPC key and the issuer-script MAC and encryption keys this way, each from
 * its own ICC master key; EMV's common session key (above) would make a PBOC host decline.
 */
export const pbocProcessKey = (crypto: Crypto, mk: Uint8Array, atc: number): Uint8Array => {
  if (!Number.isInteger(atc) || atc < 0 || atc > 0xffff) throw new RangeError(`ATC is 2 bytes, not ${atc}`)
  const input = new Uint8Array(16)
  input[6] = atc >> 8
  input[7] = atc & 0xff
  input[14] = (atc ^ 0xffff) >> 8
  input[15] = (atc ^ 0xffff) & 0xff
  return crypto.encryptEcb("TDES", mk, input)
}

/** Book 2 §8.1 with Annex A1.2: the 8-byte ARQC, TC or AAC is the retail MAC with the session key. */
export const applicationCryptogram = (
  crypto: Crypto,
  sessionKey: Uint8Array,
  data: Uint8Array,
  padding: PaddingMethod,
): Uint8Array => retailMac(crypto, sessionKey, data, padding)

/** Book 2 §8.2.1 ARPC method 1: TDES(K, ARQC ⊕ (ARC ‖ 00*6)). */
export const arpcMethod1 = (
  crypto: Crypto,
  key: Uint8Array,
  arqc: Uint8Array,
  arc: Uint8Array,
): Uint8Array => {
  if (arqc.length !== 8 || arc.length !== 2) {
    throw new RangeError(
      `ARPC method 1 takes an 8-byte ARQC and a 2-byte ARC, not ${arqc.length}/${arc.length}`,
    )
  }
  const input = arqc.slice()
  input[0]! ^= arc[0]!
  input[1]! ^= arc[1]!
  return crypto.encryptEcb("TDES", key, input)
}

/** Book 2 §8.2.2 ARPC method 2: the leftmost 4 bytes of the retail MAC over ARQC ‖ CSU ‖ proprietary data. */
export const arpcMethod2 = (
  crypto: Crypto,
  key: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietary: Uint8Array,
): Uint8Array => {
  if (arqc.length !== 8 || csu.length !== 4 || proprietary.length > 8) {
    throw new RangeError(
      `ARPC method 2 takes ARQC 8, CSU 4, proprietary ≤ 8 bytes, not ${arqc.length}/${csu.length}/${proprietary.length}`,
    )
  }
  const input = new Uint8Array(12 + proprietary.length)
  input.set(arqc, 0)
  input.set(csu, 8)
  input.set(proprietary, 12)
  return retailMac(crypto, key, input, 2).slice(0, 4)
}

/**
 * Book 2 §9.2 issuer-script secure messaging (PROTOCOLS.md §2.1): the 8-byte retail MAC (padding method 2) over the
 * assembled input (header with Lc counting the MAC, then ATC, ARQC and data as the scheme says);
 * the command carries its leftmost 4 to 8 bytes.
 */
export const issuerScriptMac = (crypto: Crypto, sessionKey: Uint8Array, macInput: Uint8Array): Uint8Array =>
  retailMac(crypto, sessionKey, macInput, 2)
