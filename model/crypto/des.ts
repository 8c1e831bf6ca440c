/**
 * DES (FIPS 46-3) and Triple DES (FIPS 46-3 §"TDEA", NIST SP 800-67 Rev. 2) for the reference
 * crypto layer, written to be read side by side with the standard rather than to be fast: every
 * table below is printed exactly as in FIPS 46-3, with bits numbered 1..64 from the most
 * significant bit of the first byte, and the permutations are applied bit by bit.
 *
 * The native layer uses OpenSSL instead; property tests prove the two agree byte for byte.
 */
import type { BlockFunction } from "./block-modes.ts"

/** FIPS 46-3, "Enciphering": the initial permutation IP. */
export const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
]

/** FIPS 46-3, "Enciphering": the inverse initial permutation IP⁻¹. */
export const IP_INVERSE = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13,
  53, 21, 61, 29, 36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26,
  33, 1, 41, 9, 49, 17, 57, 25,
]

/** FIPS 46-3, "The Cipher Function f": the E bit-selection table (32 → 48 bits). */
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21,
  20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
]

/** FIPS 46-3, "The Cipher Function f": the permutation P. */
export const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
]

/** FIPS 46-3, Appendix: primitive functions S1..S8, each 4 rows of 16 entries. */
export const S_BOXES = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
]

/** FIPS 46-3, "Key Schedule Calculation": permuted choice 1 (64 → 56 bits, parity bits dropped). */
export const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
]

/** FIPS 46-3, "Key Schedule Calculation": permuted choice 2 (56 → 48 bits). */
export const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
]

/** FIPS 46-3, "Key Schedule Calculation": left shifts of C and D before each of the 16 rounds. */
export const LEFT_SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1]

/** Bits are kept one per array entry (0 or 1), index 0 = bit 1 of the standard. */
type Bits = ReadonlyArray<number>

const bitsOf = (bytes: Uint8Array): number[] => {
  const out: number[] = []
  for (const byte of bytes) for (let i = 7; i >= 0; i--) out.push((byte >> i) & 1)
  return out
}

const bytesOf = (bits: Bits): Uint8Array => {
  const out = new Uint8Array(bits.length / 8)
  for (let i = 0; i < bits.length; i++) out[i >> 3]! |= bits[i]! << (7 - (i & 7))
  return out
}

/** Output bit i is input bit table[i] (1-based, as the standard prints the tables). */
const permute = (input: Bits, table: ReadonlyArray<number>): number[] => table.map((n) => input[n - 1]!)

const rotateLeft = (half: Bits, count: number): number[] => [...half.slice(count), ...half.slice(0, count)]

/** FIPS 46-3, "Key Schedule Calculation": the sixteen 48-bit round keys K1..K16. */
const keySchedule = (key: Uint8Array): number[][] => {
  if (key.length !== 8) throw new RangeError(`a DES key has 8 bytes, not ${key.length}`)
  const permuted = permute(bitsOf(key), PC1)
  let c = permuted.slice(0, 28)
  let d = permuted.slice(28)
  return LEFT_SHIFTS.map((shift) => {
    c = rotateLeft(c, shift)
    d = rotateLeft(d, shift)
    return permute([...c, ...d], PC2)
  })
}

/** FIPS 46-3, "The Cipher Function f": f(R, K) = P(S(E(R) ⊕ K)). */
const f = (right: Bits, roundKey: Bits): number[] => {
  const expanded = permute(right, E).map((bit, i) => bit ^ roundKey[i]!)
  const substituted: number[] = []
  for (let box = 0; box < 8; box++) {
    const six = expanded.slice(box * 6, box * 6 + 6)
    // The outer bits select the row, the inner four the column (FIPS 46-3, "S-box selection").
    const row = (six[0]! << 1) | six[5]!
    const column = (six[1]! << 3) | (six[2]! << 2) | (six[3]! << 1) | six[4]!
    const value = S_BOXES[box]![row * 16 + column]!
    for (let i = 3; i >= 0; i--) substituted.push((value >> i) & 1)
  }
  return permute(substituted, P)
}

/**
 * FIPS 46-3, "Enciphering" and "Deciphering": sixteen Feistel rounds between IP and IP⁻¹;
 * deciphering is the same computation with the round keys in reverse order.
 */
const crypt = (block: Uint8Array, roundKeys: ReadonlyArray<Bits>): Uint8Array => {
  if (block.length !== 8) throw new RangeError(`a DES block has 8 bytes, not ${block.length}`)
  const permuted = permute(bitsOf(block), IP)
  let left = permuted.slice(0, 32)
  let right = permuted.slice(32)
  for (const roundKey of roundKeys) {
    const next = f(right, roundKey).map((bit, i) => bit ^ left[i]!)
    left = right
    right = next
  }
  // The last round's halves are not swapped back: the preoutput block is R16 L16.
  return bytesOf(permute([...right, ...left], IP_INVERSE))
}

/** A single-DES block function pair for one 8-byte key (parity bits are ignored, as the standard says). */
export const desCipher = (key: Uint8Array): { encrypt: BlockFunction; decrypt: BlockFunction } => {
  const roundKeys = keySchedule(key)
  const reversed = [...roundKeys].reverse()
  return { encrypt: (block) => crypt(block, roundKeys), decrypt: (block) => crypt(block, reversed) }
}

/**
 * TDEA (NIST SP 800-67 Rev. 2 §3): encryption is E_K3(D_K2(E_K1(P))) and decryption
 * D_K1(E_K2(D_K3(C))). A 16-byte key is keying option 2 (K3 = K1), as GP and EMV use it; a 24-byte
 * key is keying option 1.
 */
export const tdesCipher = (key: Uint8Array): { encrypt: BlockFunction; decrypt: BlockFunction } => {
  if (key.length !== 16 && key.length !== 24)
    throw new RangeError(`a TDES key has 16 or 24 bytes, not ${key.length}`)
  const k1 = desCipher(key.subarray(0, 8))
  const k2 = desCipher(key.subarray(8, 16))
  const k3 = key.length === 24 ? desCipher(key.subarray(16, 24)) : k1
  return {
    encrypt: (block) => k3.encrypt(k2.decrypt(k1.encrypt(block))),
    decrypt: (block) => k1.decrypt(k2.encrypt(k3.decrypt(block))),
  }
}
