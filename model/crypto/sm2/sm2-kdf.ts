/**
 * The SM2 key-derivation function (GB/T 32918.4-2016 §5.4.3): Ha_i = SM3(Z ‖ ct) for a 32-bit
 * big-endian counter ct = 1, 2, …, concatenated and truncated to klen bytes. The twin only needs
 * whole bytes (klen is the plaintext length).
 */
import type { Sm3Function } from "./sm3-function.ts"

/** klen beyond (2³² − 1) hash blocks is refused by the standard; far beyond any APDU anyway. */
const KDF_BYTES_MAX = 2 ** 31

export const sm2Kdf = (sm3: Sm3Function, z: Uint8Array, klenBytes: number): Uint8Array => {
  if (!Number.isSafeInteger(klenBytes) || klenBytes < 0 || klenBytes > KDF_BYTES_MAX) {
    throw new RangeError(`KDF length ${klenBytes}`)
  }
  const out = new Uint8Array(klenBytes)
  const input = new Uint8Array(z.length + 4)
  input.set(z, 0)
  let counter = 1
  for (let offset = 0; offset < klenBytes; offset += 32) {
    input[z.length] = counter >>> 24
    input[z.length + 1] = (counter >>> 16) & 0xff
    input[z.length + 2] = (counter >>> 8) & 0xff
    input[z.length + 3] = counter & 0xff
    const block = sm3(input)
    out.set(block.subarray(0, Math.min(32, klenBytes - offset)), offset)
    counter++
  }
  return out
}
