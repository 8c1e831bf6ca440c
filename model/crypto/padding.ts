/**
 * ISO/IEC 9797-1 padding methods 1 and 2, used by every MAC and by secure-channel encryption
 * (SCP02 and SCP03 pad with method 2, PROTOCOLS.md §1.1-1.2; EMV cryptograms use method 2 and
 * Visa's method 1, §2.1).
 */
import { err, ok, type Result } from "../bytes/result.ts"

/**
 * Method 1: append as few 00 bytes as needed (possibly none) to reach a *positive* multiple of the
 * block size. ISO/IEC 9797-1 asks for a positive multiple, so an empty input becomes one zero
 * block; otherwise a MAC over no data would be a MAC over no blocks, which the MAC algorithms do
 * not define.
 */
export const padIso9797Method1 = (data: Uint8Array, blockBytes: number): Uint8Array => {
  assertBlockBytes(blockBytes)
  const length = Math.max(blockBytes, Math.ceil(data.length / blockBytes) * blockBytes)
  const out = new Uint8Array(length)
  out.set(data)
  return out
}

/** Method 2: always append 80, then as few 00 bytes as needed to reach a multiple of the block size. */
export const padIso9797Method2 = (data: Uint8Array, blockBytes: number): Uint8Array => {
  assertBlockBytes(blockBytes)
  const out = new Uint8Array((Math.floor(data.length / blockBytes) + 1) * blockBytes)
  out.set(data)
  out[data.length] = 0x80
  return out
}

/** Why method 2 padding could not be removed; `offset` is where the problem was found. */
export interface PaddingError {
  readonly _tag: "PaddingError"
  readonly reason: "no-80-marker" | "padding-longer-than-a-block" | "not-whole-blocks"
  readonly offset: number
  readonly message: string
}

const paddingError = (reason: PaddingError["reason"], offset: number, message: string) =>
  err<PaddingError>({ _tag: "PaddingError", reason, offset, message })

/**
 * Removes method 2 padding: trailing 00 bytes, then the 80 that must precede them. Decrypted data
 * comes from the other side of a channel, so a bad pad is an operating outcome (a value), never a
 * throw. With `blockBytes`, the input must also be whole blocks and the pad at most one block, as
 * a sender following the method would have produced.
 */
export const unpadIso9797Method2 = (
  data: Uint8Array,
  blockBytes?: number,
): Result<Uint8Array, PaddingError> => {
  if (blockBytes !== undefined) {
    assertBlockBytes(blockBytes)
    if (data.length % blockBytes !== 0) {
      return paddingError("not-whole-blocks", data.length, `${data.length} bytes are not whole blocks`)
    }
  }
  let marker = data.length - 1
  while (marker >= 0 && data[marker] === 0x00) marker--
  if (marker < 0 || data[marker] !== 0x80) {
    const offset = Math.max(marker, 0)
    return paddingError(
      "no-80-marker",
      offset,
      `no 80 padding marker before the trailing zeros (offset ${offset})`,
    )
  }
  if (blockBytes !== undefined && data.length - marker > blockBytes) {
    return paddingError(
      "padding-longer-than-a-block",
      marker,
      `the padding from offset ${marker} exceeds a block`,
    )
  }
  return ok(data.slice(0, marker))
}

const assertBlockBytes = (blockBytes: number): void => {
  if (!Number.isInteger(blockBytes) || blockBytes < 1 || blockBytes > 255) {
    throw new RangeError(`block size ${blockBytes} is not a whole number of bytes in 1..255`)
  }
}
