/**
 * AES (FIPS 197) for the reference crypto layer: the cipher, the inverse cipher and the key
 * expansion for 128-, 192- and 256-bit keys, written step by step as the standard describes them.
 * The S-box is computed from its definition (§5.1.1: multiplicative inverse in GF(2⁸), then the
 * affine transformation) instead of being typed in, so there is no 256-entry table to mistype.
 *
 * The state is kept as FIPS 197 §3.4 lays it out: byte s[r, c] is at index r + 4c, which is the
 * order of the input bytes.
 */
import type { BlockFunction } from "./block-modes.ts"

/** FIPS 197 §4.2: multiplication in GF(2⁸) modulo m(x) = x⁸ + x⁴ + x³ + x + 1. */
const multiply = (a: number, b: number): number => {
  let product = 0
  let x = a
  for (let y = b; y > 0; y >>= 1) {
    if (y & 1) product ^= x
    // §4.2.1 xtime(): multiply by x and reduce by m(x) when the degree reaches 8.
    x = x & 0x80 ? ((x << 1) ^ 0x11b) & 0xff : x << 1
  }
  return product
}

/** FIPS 197 §5.1.1: S-box = affine transformation of the multiplicative inverse (00 maps to 00). */
const buildSbox = (): Uint8Array => {
  const sbox = new Uint8Array(256)
  for (let x = 0; x < 256; x++) {
    let inverse = 0
    for (let y = 1; y < 256 && x !== 0; y++) {
      if (multiply(x, y) === 1) {
        inverse = y
        break
      }
    }
    // b'_i = b_i ⊕ b_(i+4) ⊕ b_(i+5) ⊕ b_(i+6) ⊕ b_(i+7) ⊕ c_i with c = 0x63 (equation 5.1).
    let result = 0
    for (let i = 0; i < 8; i++) {
      const bit =
        ((inverse >> i) ^
          (inverse >> ((i + 4) % 8)) ^
          (inverse >> ((i + 5) % 8)) ^
          (inverse >> ((i + 6) % 8)) ^
          (inverse >> ((i + 7) % 8)) ^
          (0x63 >> i)) &
        1
      result |= bit << i
    }
    sbox[x] = result
  }
  return sbox
}

const SBOX = buildSbox()
const INVERSE_SBOX = new Uint8Array(256)
for (let x = 0; x < 256; x++) INVERSE_SBOX[SBOX[x]!] = x

/** FIPS 197 §5.2: Nk words of key, Nr rounds, Nb = 4 columns. */
const roundsFor = (keyBytes: number): number => {
  if (keyBytes === 16) return 10
  if (keyBytes === 24) return 12
  if (keyBytes === 32) return 14
  throw new RangeError(`an AES key has 16, 24 or 32 bytes, not ${keyBytes}`)
}

/** FIPS 197 §5.2 KeyExpansion: returns the Nb·(Nr+1) words as 4·Nb·(Nr+1) bytes. */
const expandKey = (key: Uint8Array, rounds: number): Uint8Array => {
  const nk = key.length / 4
  const words = new Uint8Array(16 * (rounds + 1))
  words.set(key)
  let rcon = 1
  for (let i = nk; i < 4 * (rounds + 1); i++) {
    const temp = words.slice(4 * (i - 1), 4 * i)
    if (i % nk === 0) {
      // RotWord, SubWord, then XOR with Rcon[i/Nk] = [x^(i/Nk - 1), 00, 00, 00].
      const first = temp[0]!
      temp.copyWithin(0, 1)
      temp[3] = first
      for (let j = 0; j < 4; j++) temp[j] = SBOX[temp[j]!]!
      temp[0]! ^= rcon
      rcon = multiply(rcon, 2)
    } else if (nk > 6 && i % nk === 4) {
      for (let j = 0; j < 4; j++) temp[j] = SBOX[temp[j]!]!
    }
    for (let j = 0; j < 4; j++) words[4 * i + j] = words[4 * (i - nk) + j]! ^ temp[j]!
  }
  return words
}

/** §5.1.4 AddRoundKey: XOR the round's four key words into the state's columns. */
const addRoundKey = (state: Uint8Array, schedule: Uint8Array, round: number): void => {
  for (let i = 0; i < 16; i++) state[i]! ^= schedule[16 * round + i]!
}

const substitute = (state: Uint8Array, box: Uint8Array): void => {
  for (let i = 0; i < 16; i++) state[i] = box[state[i]!]!
}

/** §5.1.2 ShiftRows (direction +1) and §5.3.1 InvShiftRows (−1): row r rotates by r columns. */
const shiftRows = (state: Uint8Array, direction: 1 | -1): void => {
  const copy = state.slice()
  for (let r = 1; r < 4; r++) {
    for (let c = 0; c < 4; c++) state[r + 4 * c] = copy[r + 4 * ((c + direction * r + 4) % 4)]!
  }
}

/** §5.1.3 MixColumns ({03}x³+{01}x²+{01}x+{02}) and §5.3.3 InvMixColumns ({0b},{0d},{09},{0e}). */
const mixColumns = (state: Uint8Array, coefficients: readonly [number, number, number, number]): void => {
  for (let c = 0; c < 4; c++) {
    const column = state.slice(4 * c, 4 * c + 4)
    for (let r = 0; r < 4; r++) {
      let value = 0
      for (let k = 0; k < 4; k++) value ^= multiply(coefficients[(k - r + 4) % 4]!, column[k]!)
      state[4 * c + r] = value
    }
  }
}

const MIX = [0x02, 0x03, 0x01, 0x01] as const
const INVERSE_MIX = [0x0e, 0x0b, 0x0d, 0x09] as const

/** §5.1 Cipher(). */
const cipher = (block: Uint8Array, schedule: Uint8Array, rounds: number): Uint8Array => {
  const state = block.slice()
  addRoundKey(state, schedule, 0)
  for (let round = 1; round <= rounds; round++) {
    substitute(state, SBOX)
    shiftRows(state, 1)
    if (round < rounds) mixColumns(state, MIX)
    addRoundKey(state, schedule, round)
  }
  return state
}

/** §5.3 InvCipher(): the steps of Cipher() undone in reverse order. */
const inverseCipher = (block: Uint8Array, schedule: Uint8Array, rounds: number): Uint8Array => {
  const state = block.slice()
  addRoundKey(state, schedule, rounds)
  for (let round = rounds - 1; round >= 0; round--) {
    shiftRows(state, -1)
    substitute(state, INVERSE_SBOX)
    addRoundKey(state, schedule, round)
    if (round > 0) mixColumns(state, INVERSE_MIX)
  }
  return state
}

/** An AES block function pair for one 16-, 24- or 32-byte key. */
export const aesCipher = (key: Uint8Array): { encrypt: BlockFunction; decrypt: BlockFunction } => {
  const rounds = roundsFor(key.length)
  const schedule = expandKey(key, rounds)
  const checked =
    (run: (block: Uint8Array, schedule: Uint8Array, rounds: number) => Uint8Array): BlockFunction =>
    (block) => {
      if (block.length !== 16) throw new RangeError(`an AES block has 16 bytes, not ${block.length}`)
      return run(block, schedule, rounds)
    }
  return { encrypt: checked(cipher), decrypt: checked(inverseCipher) }
}
