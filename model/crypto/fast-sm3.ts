/**
 * SM3 (GB/T 32905-2016) on 32-bit words, for short messages in the native layer: below a few
 * blocks, a digest here costs less than the call into OpenSSL and the Buffer it returns
 * (native-crypto.ts `SM3_TS_BYTES_MAX` gives the measured crossover).
 *
 * §5.1 IV, §4.2 constants T_j, §5.3.2 message expansion (W₀…W₆₇, W'ⱼ = Wⱼ ⊕ Wⱼ₊₄) and §5.3.3
 * compression; the padding of §5.2 appends 0x80, zeros and the bit length as 64 bits. Scratch
 * words are module-level typed arrays: the data plane is single-threaded per isolate, and no
 * call re-enters this code.
 */

const IV = Int32Array.of(
  0x7380166f,
  0x4914b2b9,
  0x172442d7,
  0xda8a0600,
  0xa96f30bc,
  0x163138aa,
  0xe38dee4d,
  0xb0fb0e4e,
)

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n))

/** T_j rotated left by j mod 32 (§5.3.3: SS1 uses T_j <<< j), precomputed for the 64 rounds. */
const T_ROTATED = Int32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32))

const state = new Int32Array(8)
const w = new Int32Array(68)
const tail = new Uint8Array(128)

/** §5.3.3: one 64-byte block at bytes[at…] into `state`. */
const compress = (bytes: Uint8Array, at: number): void => {
  for (let j = 0; j < 16; j++) {
    const i = at + 4 * j
    w[j] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!
  }
  for (let j = 16; j < 68; j++) {
    const x = w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)
    // P1(X) = X ⊕ (X <<< 15) ⊕ (X <<< 23)
    w[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!
  }
  let a = state[0]!
  let b = state[1]!
  let c = state[2]!
  let d = state[3]!
  let e = state[4]!
  let f = state[5]!
  let g = state[6]!
  let h = state[7]!
  // FF/GG are XOR for j < 16, majority / choice after (§4.3): two loops, no branch per round.
  for (let j = 0; j < 16; j++) {
    const a12 = rotl(a, 12)
    const ss1 = rotl((a12 + e + T_ROTATED[j]!) | 0, 7)
    const ss2 = ss1 ^ a12
    const tt1 = ((a ^ b ^ c) + d + ss2 + (w[j]! ^ w[j + 4]!)) | 0
    const tt2 = ((e ^ f ^ g) + h + ss1 + w[j]!) | 0
    d = c
    c = rotl(b, 9)
    b = a
    a = tt1
    h = g
    g = rotl(f, 19)
    f = e
    // P0(X) = X ⊕ (X <<< 9) ⊕ (X <<< 17)
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17)
  }
  for (let j = 16; j < 64; j++) {
    const a12 = rotl(a, 12)
    const ss1 = rotl((a12 + e + T_ROTATED[j]!) | 0, 7)
    const ss2 = ss1 ^ a12
    const tt1 = (((a & b) | (a & c) | (b & c)) + d + ss2 + (w[j]! ^ w[j + 4]!)) | 0
    const tt2 = (((e & f) | (~e & g)) + h + ss1 + w[j]!) | 0
    d = c
    c = rotl(b, 9)
    b = a
    a = tt1
    h = g
    g = rotl(f, 19)
    f = e
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17)
  }
  state[0]! ^= a
  state[1]! ^= b
  state[2]! ^= c
  state[3]! ^= d
  state[4]! ^= e
  state[5]! ^= f
  state[6]! ^= g
  state[7]! ^= h
}

/** The 32-byte SM3 digest of `data`. */
export const sm3Ts = (data: Uint8Array): Uint8Array => {
  state.set(IV)
  const whole = data.length - (data.length % 64)
  for (let at = 0; at < whole; at += 64) compress(data, at)
  // §5.2: the rest, 0x80, zeros to 56 mod 64, then the length in bits as a 64-bit big-endian integer.
  const rest = data.length - whole
  const tailBytes = rest < 56 ? 64 : 128
  tail.fill(0, 0, tailBytes)
  tail.set(data.subarray(whole), 0)
  tail[rest] = 0x80
  const bits = data.length * 8
  const high = Math.floor(bits / 0x100000000)
  const low = bits >>> 0
  for (let i = 0; i < 4; i++) {
    tail[tailBytes - 8 + i] = (high >>> (24 - 8 * i)) & 0xff
    tail[tailBytes - 4 + i] = (low >>> (24 - 8 * i)) & 0xff
  }
  compress(tail, 0)
  if (tailBytes === 128) compress(tail, 64)
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const word = state[i]!
    out[4 * i] = word >>> 24
    out[4 * i + 1] = (word >>> 16) & 0xff
    out[4 * i + 2] = (word >>> 8) & 0xff
    out[4 * i + 3] = word & 0xff
  }
  return out
}
