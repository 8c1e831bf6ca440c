// Proves the paired operations of both crypto layers undo each other (decrypt∘encrypt, unpad∘pad) and that unpadding untrusted bytes never throws.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import { BLOCK_BYTES } from "../../../model/crypto/crypto.ts"
import { padIso9797Method1, padIso9797Method2, unpadIso9797Method2 } from "../../../model/crypto/padding.ts"
import { blocks, bytes, CIPHERS, key, message } from "./arbitraries.ts"
import { CRYPTOS } from "./vector-files.ts"

const RUNS = 1000

describe.each(CRYPTOS)("$name layer: decrypt∘encrypt = identity", (crypto) => {
  it.each(CIPHERS)("$cipher with $keyBytes-byte keys, ECB and CBC", ({ cipher, keyBytes }) => {
    const blockBytes = BLOCK_BYTES[cipher]
    fc.assert(
      fc.property(key(keyBytes), bytes(blockBytes), blocks(blockBytes, 4), (k, iv, data) => {
        expect(toHex(crypto.decryptEcb(cipher, k, crypto.encryptEcb(cipher, k, data)))).toBe(toHex(data))
        expect(toHex(crypto.decryptCbc(cipher, k, iv, crypto.encryptCbc(cipher, k, iv, data)))).toBe(
          toHex(data),
        )
      }),
      { numRuns: RUNS },
    )
  })
})

describe("ISO 9797-1 padding", () => {
  const blockSize = fc.constantFrom(8, 16)

  it("unpad∘pad (method 2) = identity, with and without the block-size check", () => {
    fc.assert(
      fc.property(message(100), blockSize, (data, size) => {
        const padded = padIso9797Method2(data, size)
        expect(padded.length % size).toBe(0)
        expect(padded.length - data.length).toBeGreaterThanOrEqual(1)
        expect(padded.length - data.length).toBeLessThanOrEqual(size)
        for (const result of [unpadIso9797Method2(padded), unpadIso9797Method2(padded, size)]) {
          expect(result.ok && toHex(result.value)).toBe(toHex(data))
        }
      }),
      { numRuns: RUNS },
    )
  })

  it("unpad of random bytes never throws and, when it succeeds, re-padding gives the input back", () => {
    fc.assert(
      fc.property(message(64), fc.option(blockSize, { nil: undefined }), (data, size) => {
        const result = unpadIso9797Method2(data, size)
        if (!result.ok) {
          expect(result.error.offset).toBeGreaterThanOrEqual(0)
          expect(result.error.offset).toBeLessThanOrEqual(data.length)
          return
        }
        expect(data[result.value.length]).toBe(0x80)
        if (size !== undefined) expect(toHex(padIso9797Method2(result.value, size))).toBe(toHex(data))
      }),
      { numRuns: RUNS },
    )
  })

  it("method 1 reaches the next positive multiple of the block size and keeps the data as a prefix", () => {
    fc.assert(
      fc.property(message(100), blockSize, (data, size) => {
        const padded = padIso9797Method1(data, size)
        expect(padded.length).toBe(Math.max(size, Math.ceil(data.length / size) * size))
        expect(toHex(padded.subarray(0, data.length))).toBe(toHex(data))
        expect(padded.subarray(data.length).every((b) => b === 0)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it("names what is wrong with bad padding", () => {
    const reasonOf = (data: number[], size?: number) => {
      const result = unpadIso9797Method2(Uint8Array.from(data), size)
      return result.ok ? "ok" : `${result.error.reason}@${result.error.offset}`
    }
    expect(reasonOf([])).toBe("no-80-marker@0")
    expect(reasonOf([0, 0, 0])).toBe("no-80-marker@0")
    expect(reasonOf([0x12, 0x81, 0x00])).toBe("no-80-marker@1")
    expect(reasonOf([1, 2, 3, 0x80, 0, 0, 0], 8)).toBe("not-whole-blocks@7")
    expect(reasonOf([1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8)).toBe(
      "padding-longer-than-a-block@1",
    )
    expect(reasonOf([1, 0x80, 0, 0, 0, 0, 0, 0], 8)).toBe("ok")
  })

  it("pads empty input as ISO 9797-1 says: method 1 to one zero block, method 2 to 80 00..", () => {
    expect(toHex(padIso9797Method1(new Uint8Array(0), 8))).toBe("0000000000000000")
    expect(toHex(padIso9797Method2(new Uint8Array(0), 8))).toBe("8000000000000000")
    expect(toHex(padIso9797Method2(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 8))).toBe(
      "01020304050607088000000000000000",
    )
  })
})
