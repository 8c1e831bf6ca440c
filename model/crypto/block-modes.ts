/**
 * ECB and CBC (NIST SP 800-38A §6.1, §6.2) over any block function, without padding. The reference
 * layer runs its DES, TDES, AES and SM4 through these, so each mode is written once; the native
 * layer uses OpenSSL's modes, and property tests prove the two agree.
 */

/** Enciphers or deciphers exactly one block; returns a fresh array. */
export type BlockFunction = (block: Uint8Array) => Uint8Array

/** SP 800-38A §6.1: each block on its own. */
export const ecb = (blockFunction: BlockFunction, blockBytes: number, data: Uint8Array): Uint8Array => {
  assertWholeBlocks(data, blockBytes)
  const out = new Uint8Array(data.length)
  for (let offset = 0; offset < data.length; offset += blockBytes) {
    out.set(blockFunction(data.subarray(offset, offset + blockBytes)), offset)
  }
  return out
}

/** SP 800-38A §6.2: C_j = CIPH_K(P_j ⊕ C_{j-1}), with C_0 = IV. */
export const cbcEncrypt = (
  encrypt: BlockFunction,
  blockBytes: number,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  assertWholeBlocks(data, blockBytes)
  assertIv(iv, blockBytes)
  const out = new Uint8Array(data.length)
  let previous = iv
  for (let offset = 0; offset < data.length; offset += blockBytes) {
    const input = new Uint8Array(blockBytes)
    for (let i = 0; i < blockBytes; i++) input[i] = data[offset + i]! ^ previous[i]!
    previous = encrypt(input)
    out.set(previous, offset)
  }
  return out
}

/** SP 800-38A §6.2: P_j = CIPH⁻¹_K(C_j) ⊕ C_{j-1}, with C_0 = IV. */
export const cbcDecrypt = (
  decrypt: BlockFunction,
  blockBytes: number,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  assertWholeBlocks(data, blockBytes)
  assertIv(iv, blockBytes)
  const out = new Uint8Array(data.length)
  let previous = iv
  for (let offset = 0; offset < data.length; offset += blockBytes) {
    const block = data.subarray(offset, offset + blockBytes)
    const plain = decrypt(block)
    for (let i = 0; i < blockBytes; i++) out[offset + i] = plain[i]! ^ previous[i]!
    previous = block
  }
  return out
}

/** Unpadded modes take whole blocks only; anything else is a caller's bug (crypto.ts contract). */
export const assertWholeBlocks = (data: Uint8Array, blockBytes: number): void => {
  if (data.length % blockBytes !== 0) {
    throw new RangeError(`${data.length} bytes is not a whole number of ${blockBytes}-byte blocks`)
  }
}

export const assertIv = (iv: Uint8Array, blockBytes: number): void => {
  if (iv.length !== blockBytes) throw new RangeError(`the IV has ${iv.length} bytes, not ${blockBytes}`)
}
