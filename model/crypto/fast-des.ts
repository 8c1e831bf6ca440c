/**
 * DES and TDEA (FIPS 46-3, NIST SP 800-67 Rev. 2) on 32-bit words with lookup tables, for keys
 * the native layer meets only a few times: a card's session keys, the ICC keys an issuer derives
 * per transaction. For those, a new OpenSSL context costs ~7.5 µs (bench:crypto, "new context per
 * call"), several times this code's key schedule and blocks. native-crypto.ts decides which keys
 * come here (native-cipher-cache.ts `DES_BLOCKS_BEFORE_OPENSSL`).
 *
 * Every table is derived at load from the FIPS tables printed in des.ts, so nothing here is a
 * magic constant: bit permutations become per-byte lookup tables (each input byte's contribution
 * to the output words), and the S-boxes merge with P into eight "SP" tables, so a round is eight
 * lookups: f(R, K) = P(S(E(R) ⊕ K)) = OR_i SP_i[E_i(R) ⊕ K_i]. E_i(R), the i-th 6-bit group of
 * E(R), is bits 4i … 4i+5 of R read cyclically (bit 0 is bit 32), i.e. the top six bits of R
 * rotated left by 4i − 1. Property tests prove this layer equal to des.ts and OpenSSL.
 */
import { IP, IP_INVERSE, LEFT_SHIFTS, P, PC1, PC2, S_BOXES } from "./des.ts"

/** Output words (hi: output bits 1-32, lo: bits 33-64) contributed by each value of each input byte. */
interface ByteTables {
  readonly hi: Int32Array
  readonly lo: Int32Array
}

/** Compiles "output bit i is input bit table[i]" (1-based, MSB first) into per-byte lookups. */
const compile = (table: ReadonlyArray<number>, inputBytes: number): ByteTables => {
  const hi = new Int32Array(inputBytes * 256)
  const lo = new Int32Array(inputBytes * 256)
  table.forEach((source, out) => {
    const byte = (source - 1) >> 3
    const mask = 0x80 >> ((source - 1) & 7)
    for (let v = 0; v < 256; v++) {
      if ((v & mask) === 0) continue
      if (out < 32) hi[byte * 256 + v]! |= 1 << (31 - out)
      else lo[byte * 256 + v]! |= 1 << (63 - out)
    }
  })
  return { hi, lo }
}

const IP_TABLES = compile(IP, 8)
const FP_TABLES = compile(IP_INVERSE, 8)
const PC1_TABLES = compile(PC1, 8)
const PC2_TABLES = compile(PC2, 7)
const PC2_HI = PC2_TABLES.hi
const PC2_LO = PC2_TABLES.lo

/** SP_i[v] at SP[64·i + v]: P applied to S-box i's output for the 6-bit input v, placed at bits 4i+1 … 4i+4. */
const SP = new Int32Array(8 * 64)
for (let box = 0; box < 8; box++) {
  for (let v = 0; v < 64; v++) {
    // FIPS 46-3 "S-box selection": outer bits pick the row, the inner four the column.
    const row = ((v >> 4) & 2) | (v & 1)
    const column = (v >> 1) & 15
    const s = S_BOXES[box]![row * 16 + column]! << (28 - 4 * box)
    let out = 0
    P.forEach((source, i) => {
      if ((s >>> (32 - source)) & 1) out |= 1 << (31 - i)
    })
    SP[box * 64 + v] = out
  }
}

/** Looks up up to 8 bytes (b0 first) in compiled tables; returns [hi, lo] through `out`. */
const lookup = (t: ByteTables, bytes: ArrayLike<number>, count: number, out: Int32Array, from = 0): void => {
  let hi = 0
  let lo = 0
  for (let i = 0; i < count; i++) {
    const at = i * 256 + bytes[from + i]!
    hi |= t.hi[at]!
    lo |= t.lo[at]!
  }
  out[0] = hi
  out[1] = lo
}

const words = new Int32Array(2)
const scratch = new Uint8Array(8)

/** FIPS 46-3 "Key Schedule Calculation": 16 round keys as eight 6-bit groups each (128 numbers). */
export const desSchedule = (key: Uint8Array): Int32Array => {
  if (key.length !== 8) throw new RangeError(`a DES key has 8 bytes, not ${key.length}`)
  lookup(PC1_TABLES, key, 8, words)
  let c = words[0]! >>> 4
  let d = ((words[0]! & 0xf) << 24) | (words[1]! >>> 8)
  const keys = new Int32Array(128)
  for (let round = 0; round < 16; round++) {
    const shift = LEFT_SHIFTS[round]!
    c = ((c << shift) | (c >>> (28 - shift))) & 0x0fffffff
    d = ((d << shift) | (d >>> (28 - shift))) & 0x0fffffff
    // PC2 reads C ‖ D as seven bytes.
    const b3 = ((c & 0xf) << 4) | (d >>> 24)
    const c0 = c >>> 20
    const c1 = 256 + ((c >>> 12) & 255)
    const c2 = 512 + ((c >>> 4) & 255)
    const c3 = 768 + b3
    const d0 = 1024 + ((d >>> 16) & 255)
    const d1 = 1280 + ((d >>> 8) & 255)
    const d2 = 1536 + (d & 255)
    const hi = PC2_HI[c0]! | PC2_HI[c1]! | PC2_HI[c2]! | PC2_HI[c3]! | PC2_HI[d0]! | PC2_HI[d1]! | PC2_HI[d2]!
    const lo = PC2_LO[c0]! | PC2_LO[c1]! | PC2_LO[c2]! | PC2_LO[c3]! | PC2_LO[d0]! | PC2_LO[d1]! | PC2_LO[d2]!
    const k = round * 8
    keys[k] = hi >>> 26
    keys[k + 1] = (hi >>> 20) & 63
    keys[k + 2] = (hi >>> 14) & 63
    keys[k + 3] = (hi >>> 8) & 63
    keys[k + 4] = (hi >>> 2) & 63
    keys[k + 5] = ((hi & 3) << 4) | (lo >>> 28)
    keys[k + 6] = (lo >>> 22) & 63
    keys[k + 7] = (lo >>> 16) & 63
  }
  return keys
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n))

/** f(R, K) for round key `k` (offset into the schedule). */
const f = (r: number, keys: Int32Array, k: number): number =>
  SP[(rotl(r, 31) >>> 26) ^ keys[k]!]! |
  SP[64 + ((rotl(r, 3) >>> 26) ^ keys[k + 1]!)]! |
  SP[128 + ((rotl(r, 7) >>> 26) ^ keys[k + 2]!)]! |
  SP[192 + ((rotl(r, 11) >>> 26) ^ keys[k + 3]!)]! |
  SP[256 + ((rotl(r, 15) >>> 26) ^ keys[k + 4]!)]! |
  SP[320 + ((rotl(r, 19) >>> 26) ^ keys[k + 5]!)]! |
  SP[384 + ((rotl(r, 23) >>> 26) ^ keys[k + 6]!)]! |
  SP[448 + ((rotl(r, 27) >>> 26) ^ keys[k + 7]!)]!

/** Sixteen rounds on (l, r) in `state`, round keys forward or backward; leaves the preoutput R16 L16. */
const rounds = (state: Int32Array, keys: Int32Array, decrypt: boolean): void => {
  let l = state[0]!
  let r = state[1]!
  for (let round = 0; round < 16; round++) {
    const k = (decrypt ? 15 - round : round) * 8
    const next = l ^ f(r, keys, k)
    l = r
    r = next
  }
  state[0] = r
  state[1] = l
}

const toBytes = (hi: number, lo: number, out: Uint8Array, at = 0): void => {
  out[at] = hi >>> 24
  out[at + 1] = hi >>> 16
  out[at + 2] = hi >>> 8
  out[at + 3] = hi
  out[at + 4] = lo >>> 24
  out[at + 5] = lo >>> 16
  out[at + 6] = lo >>> 8
  out[at + 7] = lo
}

/** A TDEA key's three DES schedules (K3 = K1 for a 16-byte key, keying option 2). */
export interface TdesSchedule {
  readonly k1: Int32Array
  readonly k2: Int32Array
  readonly k3: Int32Array
}

/** A single DES key is TDEA with K1 = K2 = K3 (SP 800-67 Rev. 2 §3.1: EDE collapses to E). */
export const tdesSchedule = (key: Uint8Array): TdesSchedule => {
  if (key.length === 8) {
    const k = desSchedule(key)
    return { k1: k, k2: k, k3: k }
  }
  if (key.length !== 16 && key.length !== 24)
    throw new RangeError(`a TDES key has 16 or 24 bytes, not ${key.length}`)
  const k1 = desSchedule(key.subarray(0, 8))
  const k2 = desSchedule(key.subarray(8, 16))
  return { k1, k2, k3: key.length === 24 ? desSchedule(key.subarray(16, 24)) : k1 }
}

const state = new Int32Array(2)

/**
 * One 8-byte block through TDEA: E_K3(D_K2(E_K1(x))) to encrypt, D_K1(E_K2(D_K3(x))) to decrypt
 * (SP 800-67 §3). IP and IP⁻¹ between the single-DES stages cancel, so they are applied once.
 */
export const tdesBlock = (
  s: TdesSchedule,
  input: Uint8Array,
  output: Uint8Array,
  encrypt: boolean,
  /** Where the block starts in `input` and goes in `output` (they may be the same array). */
  inAt = 0,
  outAt = 0,
): void => {
  lookup(IP_TABLES, input, 8, state, inAt)
  if (s.k1 === s.k2 && s.k2 === s.k3) {
    // Single DES (tdesSchedule of an 8-byte key): E_K(D_K(E_K(x))) = E_K(x), so one stage does.
    rounds(state, s.k1, !encrypt)
  } else if (encrypt) {
    rounds(state, s.k1, false)
    rounds(state, s.k2, true)
    rounds(state, s.k3, false)
  } else {
    rounds(state, s.k3, true)
    rounds(state, s.k2, false)
    rounds(state, s.k1, true)
  }
  toBytes(state[0]!, state[1]!, scratch)
  lookup(FP_TABLES, scratch, 8, words)
  toBytes(words[0]!, words[1]!, output, outAt)
}
