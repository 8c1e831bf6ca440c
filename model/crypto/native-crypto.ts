/**
 * The native crypto layer (DESIGN.md §4): the fastest exact implementation per call, measured.
 * node:crypto (OpenSSL 3.0 inside Node) for long SM3, HMAC-SM3, AES and long (T)DES, each call
 * one OpenSSL `update` on a cached context (native-cipher-cache.ts explains why that is exact);
 * TypeScript word/table code for SM4, short SM3 and short (T)DES, where a call into OpenSSL costs
 * more than the work; SM2 is the project's own (Node cannot make standard SM2 signatures, STACK.md).
 */
import { createHmac, hash } from "node:crypto"
import { assertIv, assertWholeBlocks } from "./block-modes.ts"
import { BLOCK_BYTES, type BlockCipherName, type Crypto } from "./crypto.ts"
import { tdesBlock } from "./fast-des.ts"
import { sm3Ts } from "./fast-sm3.ts"
import { sm4Blocks } from "./fast-sm4.ts"
import {
  cipherSlot,
  DES_TS_BYTES_MAX,
  desScheduleOf,
  SINGLE_DES_TS_BYTES_MAX,
  sm4ScheduleOf,
} from "./native-cipher-cache.ts"
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

/**
 * Which calls run in TypeScript instead of OpenSSL: short (T)DES data (native-cipher-cache.ts says
 * why) and every SM4 call. SM4 has no hardware path in this OpenSSL build, and the T-table code
 * (fast-sm4.ts) measured faster at every size tried: a block 0.15 µs against 0.76 µs on a cached
 * OpenSSL context, 1 KiB 8.1 µs against 10.5 µs, 16 KiB 146 µs against 165 µs.
 */
/**
 * SM3 of at most this many bytes runs in TypeScript (fast-sm3.ts). Measured here (CPU ns per
 * digest, TypeScript / OpenSSL's one-shot `crypto.hash` with its Buffer copied): 64 B 750 / 1,510,
 * 146 B (a ZA) 1,080 / 1,900, 256 B 1,740 / 2,320, 512 B 3,020 / 2,900, 1 KiB 5,390 / 4,310.
 */
export const SM3_TS_BYTES_MAX = 384

const inTypeScript = (cipher: BlockCipherName, data: Uint8Array): boolean =>
  cipher === "SM4" ||
  (cipher === "TDES" && data.length <= DES_TS_BYTES_MAX) ||
  (cipher === "DES" && data.length <= SINGLE_DES_TS_BYTES_MAX)

/** One block of the TypeScript (T)DES, from input[inAt…] to output[outAt…]. */
type TsBlock = (input: Uint8Array, inAt: number, output: Uint8Array, outAt: number, encrypt: boolean) => void

const desBlockOf = (cipher: BlockCipherName, key: Uint8Array): TsBlock => {
  const schedule = desScheduleOf(cipher === "DES" ? "DES" : "TDES", key)
  return (input, inAt, output, outAt, encrypt) => tdesBlock(schedule, input, output, encrypt, inAt, outAt)
}

/** ECB or CBC (iv non-null) in TypeScript; the same bytes as OpenSSL (fast-des/fast-sm4 tests). */
const inTs = (
  cipher: BlockCipherName,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
  encrypt: boolean,
): Uint8Array => {
  if (cipher === "SM4") return sm4Blocks(sm4ScheduleOf(key), iv, data, encrypt)
  const block = desBlockOf(cipher, key)
  const size = BLOCK_BYTES[cipher]
  const out = new Uint8Array(data.length)
  if (iv === null) {
    for (let at = 0; at < data.length; at += size) block(data, at, out, at, encrypt)
  } else if (encrypt) {
    // SP 800-38A §6.2: C_i = E(P_i ⊕ C_{i−1}), C_0 = IV; the XOR is done in place in `out`.
    for (let at = 0; at < data.length; at += size) {
      for (let i = 0; i < size; i++) out[at + i] = data[at + i]! ^ (at === 0 ? iv[i]! : out[at - size + i]!)
      block(out, at, out, at, true)
    }
  } else {
    // P_i = D(C_i) ⊕ C_{i−1}.
    for (let at = 0; at < data.length; at += size) {
      block(data, at, out, at, false)
      for (let i = 0; i < size; i++) out[at + i]! ^= at === 0 ? iv[i]! : data[at - size + i]!
    }
  }
  return out
}

const ecb = (cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array => {
  assertWholeBlocks(data, BLOCK_BYTES[cipher])
  if (inTypeScript(cipher, data)) return inTs(cipher, key, null, data, encrypt)
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
  if (inTypeScript(cipher, data)) return inTs(cipher, key, iv, data, true)
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
  if (inTypeScript(cipher, data)) return inTs(cipher, key, iv, data, false)
  const slot = cipherSlot(cipher, key, "CBC", false)
  const out = slot.stream.update(data)
  assertSameLength(out, data)
  for (let i = 0; i < blockBytes; i++) out[i]! ^= iv[i]! ^ slot.chain[i]!
  slot.chain.set(data.subarray(data.length - blockBytes))
  return bytes(out)
}

export const nativeCrypto: Crypto = {
  name: "native",
  sm3: (data) => (data.length <= SM3_TS_BYTES_MAX ? sm3Ts(data) : bytes(hash("sm3", data, "buffer"))),
  hmacSm3: (key, data) => bytes(createHmac("sm3", key).update(data).digest()),
  encryptEcb: (cipher, key, data) => ecb(cipher, key, data, true),
  decryptEcb: (cipher, key, data) => ecb(cipher, key, data, false),
  encryptCbc,
  decryptCbc,
  sm2: nativeSm2,
}
