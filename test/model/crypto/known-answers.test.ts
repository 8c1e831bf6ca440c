// Proves both crypto layers on published known-answer tests beyond the shared vector files: FIPS 197 AES, FIPS 81 / SP 800-17 DES, GP key check values.
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import type { BlockCipherName } from "../../../model/crypto/crypto.ts"
import { adjustOddParity } from "../../../model/crypto/emv-keys.ts"
import { kcvAes, kcvDes, kcvSm4 } from "../../../model/crypto/kcv.ts"
import { CRYPTOS } from "./vector-files.ts"

/** Each row: source, cipher, key, plaintext, ciphertext (single-block ECB). */
const BLOCK_KATS: ReadonlyArray<readonly [string, BlockCipherName, string, string, string]> = [
  [
    "FIPS 197 Appendix C.1 (AES-128)",
    "AES",
    "000102030405060708090A0B0C0D0E0F",
    "00112233445566778899AABBCCDDEEFF",
    "69C4E0D86A7B0430D8CDB78070B4C55A",
  ],
  [
    "FIPS 197 Appendix C.2 (AES-192)",
    "AES",
    "000102030405060708090A0B0C0D0E0F1011121314151617",
    "00112233445566778899AABBCCDDEEFF",
    "DDA97CA4864CDFE06EAF70A0EC0D7191",
  ],
  [
    "FIPS 197 Appendix C.3 (AES-256)",
    "AES",
    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
    "00112233445566778899AABBCCDDEEFF",
    "8EA2B7CA516745BFEAFC49904B496089",
  ],
  [
    'FIPS 81 Appendix B, ECB example ("Now is t")',
    "DES",
    "0123456789ABCDEF",
    "4E6F772069732074",
    "3FA40E8A984D4815",
  ],
  [
    "NIST SP 800-17 Appendix B Table 1, first variable-plaintext entry",
    "DES",
    "0101010101010101",
    "8000000000000000",
    "95F8A5E5DD31D900",
  ],
  [
    "TDES keying option 2 with K1 = K2 is single DES (SP 800-67 §3.1), on FIPS 81's example",
    "TDES",
    "0123456789ABCDEF0123456789ABCDEF",
    "4E6F772069732074",
    "3FA40E8A984D4815",
  ],
]

describe.each(CRYPTOS)("$name layer", (crypto) => {
  it.each(BLOCK_KATS)("%s", (_source, cipher, key, plaintext, ciphertext) => {
    expect(toHex(crypto.encryptEcb(cipher, hex(key), hex(plaintext)))).toBe(ciphertext)
    expect(toHex(crypto.decryptEcb(cipher, hex(key), hex(ciphertext)))).toBe(plaintext)
  })

  it("KCVs of the SCP02 session keys in GlobalPlatformPro's TestPlaintextKeys (gp_scp02_kdf-01 note)", () => {
    const kcv = (key: string) => toHex(kcvDes(crypto, hex(key)))
    expect(kcv("010B0371D78377B801F2D62AFC671D95")).toBe("F2DCDD")
    expect(kcv("D1C28C601652A4770D67AD82D2D2E1C4")).toBe("5FCC69")
    expect(kcv("E11987EE331B417A5D67D760692F89D4")).toBe("85272E")
    expect(kcv("FFAEC7EC7FAD69F9FBFF093BF2F79C45")).toBe("9F749A")
  })

  it("AES KCVs (GP Amd D §7.2.2) of the SCP03 session keys in TestPlaintextKeys (gp_scp03_kdf-01..03)", () => {
    const kcv = (key: string) => toHex(kcvAes(crypto, hex(key)))
    expect(kcv("6C858E63BABC4028EDC67DC9FDBCB04A")).toBe("C25559")
    expect(kcv("036C5E747D9500229B7C99D225506DDD")).toBe("0E12CC")
    expect(kcv("AD97DA99A96DB51B765277D6E988B1D9")).toBe("9ACB9C")
  })

  it("the SM4 KCV follows the AES rule: first 3 bytes of SM4(key, 01*16)", () => {
    const key = hex("0123456789ABCDEFFEDCBA9876543210")
    const full = crypto.encryptEcb("SM4", key, new Uint8Array(16).fill(1))
    expect(toHex(kcvSm4(crypto, key))).toBe(toHex(full.subarray(0, 3)))
    expect(toHex(kcvSm4(crypto, key))).not.toBe(toHex(kcvAes(crypto, key)))
  })
})

describe("odd parity", () => {
  it("sets each byte's low bit so the byte has an odd number of 1 bits, and keeps the high 7 bits", () => {
    for (let byte = 0; byte < 256; byte++) {
      const adjusted = adjustOddParity(Uint8Array.of(byte))[0]!
      let ones = 0
      for (let bit = 0; bit < 8; bit++) ones += (adjusted >> bit) & 1
      expect(ones % 2).toBe(1)
      expect(adjusted & 0xfe).toBe(byte & 0xfe)
    }
    expect(toHex(adjustOddParity(hex("0000FFFE")))).toBe("0101FEFE")
  })
})
