/**
 * The native crypto layer (DESIGN.md §4): node:crypto, i.e. OpenSSL 3.0 inside Node 20, for SM3,
 * HMAC-SM3, SM4, AES and (T)DES; SM2 is the project's own (Node 20 cannot make standard SM2
 * signatures, STACK.md). This is the layer the data plane runs on, so each call is kept to one
 * OpenSSL `update` on a cached context (native-cipher-cache.ts explains why that is exact).
 */
import { createHmac, hash } from "node:crypto"
import { assertIv, assertWholeBlocks } from "./block-modes.ts"
import { BLOCK_BYTES, type BlockCipherName, type Crypto } from "./crypto.ts"
import { tdesBlock } from "./fast-des.ts"
import { cipherSlot, DES_TS_BYTES_MAX, desScheduleOf } from "./native-cipher-cache.ts"
import { nativeSm2 } from "./sm2/native-sm2.ts"

/**
 * Node hands back Buffers; callers get a plain Uint8Array copy, because Buffer's `slice` shares
 * memory where Uint8Array's copies, and callers here rely on the latter. Copying through the typed
 * array constructor measured cheapest of view, copy and prototype swap (within noise of none).
 */
const bytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer)

/** Padding is off and the input is whole blocks, so OpenSSL must return exactly as many bytes. */
const assertSameLength = (out: Buffer, data: Uint8Array): void => {
  if (out.length !== data.length) throw new Error(`OpenSSL returned ${out.length} of ${data.length} bytes`)
}

/** Short (T)DES data goes to the TypeScript cipher (native-cipher-cache.ts says why). */
const isShortDes = (cipher: BlockCipherName, data: Uint8Array): cipher is "DES" | "TDES" =>
  (cipher === "DES" || cipher === "TDES") && data.length <= DES_TS_BYTES_MAX

/** ECB or CBC (iv non-null) over short (T)DES data in TypeScript; same bytes as OpenSSL. */
const shortDes = (
  cipher: "DES" | "TDES",
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
  encrypt: boolean,
): Uint8Array => {
  const schedule = desScheduleOf(cipher, key)
  const out = new Uint8Array(data.length)
  const block = new Uint8Array(8)
  for (let at = 0; at < data.length; at += 8) {
    const input = data.subarray(at, at + 8)
    const output = out.subarray(at, at + 8)
    if (iv === null) tdesBlock(schedule, input, output, encrypt)
    else if (encrypt) {
      // SP 800-38A §6.2: C_i = E(P_i ⊕ C_{i−1}), C_0 = IV.
      const previous = at === 0 ? iv : out.subarray(at - 8, at)
      for (let i = 0; i < 8; i++) block[i] = input[i]! ^ previous[i]!
      tdesBlock(schedule, block, output, true)
    } else {
      // P_i = D(C_i) ⊕ C_{i−1}.
      const previous = at === 0 ? iv : data.subarray(at - 8, at)
      tdesBlock(schedule, input, output, false)
      for (let i = 0; i < 8; i++) output[i]! ^= previous[i]!
    }
  }
  return out
}

const ecb = (cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array => {
  assertWholeBlocks(data, BLOCK_BYTES[cipher])
  if (isShortDes(cipher, data)) return shortDes(cipher, key, null, data, encrypt)
  const out = cipherSlot(cipher, key, "ECB", encrypt).stream.update(data)
  assertSameLength(out, data)
  return bytes(out)
}

/** CBC encryption with the cached context's chain corrected to the caller's IV (first block only). */
const encryptCbc = (
  cipher: BlockCipherName,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  const blockBytes = BLOCK_BYTES[cipher]
  assertWholeBlocks(data, blockBytes)
  assertIv(iv, blockBytes)
  if (data.length === 0) return new Uint8Array(0)
  if (isShortDes(cipher, data)) return shortDes(cipher, key, iv, data, true)
  const slot = cipherSlot(cipher, key, "CBC", true)
  const input = data.slice()
  for (let i = 0; i < blockBytes; i++) input[i]! ^= iv[i]! ^ slot.chain[i]!
  const out = slot.stream.update(input)
  assertSameLength(out, input)
  slot.chain.set(out.subarray(out.length - blockBytes))
  return bytes(out)
}

/** CBC decryption: OpenSSL XORs the first block with its chain; we swap that for the caller's IV. */
const decryptCbc = (
  cipher: BlockCipherName,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  const blockBytes = BLOCK_BYTES[cipher]
  assertWholeBlocks(data, blockBytes)
  assertIv(iv, blockBytes)
  if (data.length === 0) return new Uint8Array(0)
  if (isShortDes(cipher, data)) return shortDes(cipher, key, iv, data, false)
  const slot = cipherSlot(cipher, key, "CBC", false)
  const out = slot.stream.update(data)
  assertSameLength(out, data)
  for (let i = 0; i < blockBytes; i++) out[i]! ^= iv[i]! ^ slot.chain[i]!
  slot.chain.set(data.subarray(data.length - blockBytes))
  return bytes(out)
}

export const nativeCrypto: Crypto = {
  name: "native",
  // crypto.hash is the one-shot digest (Node ≥ 20.12): 1.1 µs for 64 bytes against 1.6 µs for
  // createHash().update().digest(), measured here.
  sm3: (data) => bytes(hash("sm3", data, "buffer")),
  hmacSm3: (key, data) => bytes(createHmac("sm3", key).update(data).digest()),
  encryptEcb: (cipher, key, data) => ecb(cipher, key, data, true),
  decryptEcb: (cipher, key, data) => ecb(cipher, key, data, false),
  encryptCbc,
  decryptCbc,
  sm2: nativeSm2,
}
