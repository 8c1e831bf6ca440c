// Proves the MAC and KDF constructions match their textbook definitions (recomputed independently here) and refuse malformed arguments.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { desCipher } from "../../../model/crypto/des.ts"
import {
  arpcMethod1,
  arpcMethod2,
  commonSessionKey,
  iccMasterKeyOptionA,
} from "../../../model/crypto/emv-keys.ts"
import { SCP02_CONSTANTS, scp02SessionKey } from "../../../model/crypto/kdf-scp02.ts"
import { scp03Kdf } from "../../../model/crypto/kdf-scp03.ts"
import { type PaddingMethod, retailMac } from "../../../model/crypto/mac.ts"
import { key, message } from "./arbitraries.ts"
import { CRYPTOS } from "./vector-files.ts"

/**
 * ISO/IEC 9797-1 MAC algorithm 3 exactly as the standard states it: H_i = E_K1(D_i ⊕ H_(i-1)) for
 * every block, then G = E_K1'(D_K2(H_q)) with K1' = K3 for a three-key variant and K1 otherwise.
 */
const retailMacByDefinition = (k: Uint8Array, data: Uint8Array, padding: PaddingMethod, iv: Uint8Array) => {
  const padded = new Uint8Array(Math.max(8, Math.ceil((data.length + (padding === 2 ? 1 : 0)) / 8) * 8))
  padded.set(data)
  if (padding === 2) padded[data.length] = 0x80
  const k1 = desCipher(k.subarray(0, 8))
  let h = iv
  for (let offset = 0; offset < padded.length; offset += 8) {
    h = k1.encrypt(Uint8Array.from(h, (byte, i) => byte ^ padded[offset + i]!))
  }
  const last = k.length === 24 ? desCipher(k.subarray(16, 24)) : k1
  return last.encrypt(desCipher(k.subarray(8, 16)).decrypt(h))
}

describe.each(CRYPTOS)("$name layer", (crypto) => {
  it("retail MAC = ISO 9797-1 algorithm 3 by its definition (1,000 random keys, data, paddings, IVs)", () => {
    const arbitrary = fc.tuple(
      fc.oneof(key(16), key(24)),
      message(48),
      fc.constantFrom(1 as const, 2 as const),
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
    )
    fc.assert(
      fc.property(arbitrary, ([k, m, padding, iv]) => {
        expect(toHex(retailMac(crypto, k, m, padding, iv))).toBe(
          toHex(retailMacByDefinition(k, m, padding, iv)),
        )
      }),
      { numRuns: 1000 },
    )
  })

  it("option A uses PSN 00 when the PSN is absent, and the rightmost 16 digits of a long PAN", () => {
    const imk = hex("0123456789ABCDEFFEDCBA9876543210")
    expect(toHex(iccMasterKeyOptionA(crypto, imk, "9901234567890123", null))).toBe(
      toHex(iccMasterKeyOptionA(crypto, imk, "9901234567890123", "00")),
    )
    expect(toHex(iccMasterKeyOptionA(crypto, imk, "1234567890123456789", "45"))).toBe(
      toHex(iccMasterKeyOptionA(crypto, imk, "45678901234567", "8945")),
    )
    expect(() => iccMasterKeyOptionA(crypto, imk, "99012345678901X3", "45")).toThrow("decimal digits")
  })

  it("refuses malformed arguments as programmer errors", () => {
    const k16 = new Uint8Array(16)
    expect(() => scp03Kdf(crypto, "AES", k16, 4, new Uint8Array(0), 100)).toThrow("whole number of bytes")
    expect(() => scp03Kdf(crypto, "AES", k16, 256, new Uint8Array(0), 128)).toThrow("not one byte")
    expect(() => scp02SessionKey(crypto, k16, SCP02_CONSTANTS.ENC, new Uint8Array(3))).toThrow("2 bytes")
    expect(() => commonSessionKey(crypto, k16, new Uint8Array(7))).toThrow("R has 8 bytes")
    expect(() => arpcMethod1(crypto, k16, new Uint8Array(8), new Uint8Array(3))).toThrow("2-byte ARC")
    expect(() => arpcMethod2(crypto, k16, new Uint8Array(8), new Uint8Array(4), new Uint8Array(9))).toThrow(
      "≤ 8",
    )
    expect(() => retailMac(crypto, new Uint8Array(8), new Uint8Array(8), 2)).toThrow("16 or 24 bytes")
  })
})
