/**
 * vpcd's wire format (vsmartcard, virtualsmartcard/src/vpcd/vpcd.c `sendToVICC` / `recvFromVICC`):
 * every message in either direction is a 2-byte big-endian length and that many payload bytes. From
 * vpcd to the card, a 1-byte payload is a control code (vpcd.h `VPCD_CTRL_*`), anything longer a
 * command APDU; the card answers a command APDU and GET ATR with one frame, and nothing else.
 *
 * The decoder is incremental because TCP delivers bytes, not frames: `push` takes whatever arrived
 * and returns the complete frames, keeping a partial one for the next call.
 */

/** vpcd.h: VPCD_CTRL_OFF 0, VPCD_CTRL_ON 1, VPCD_CTRL_RESET 2, VPCD_CTRL_ATR 4. */
export const VpcdControl = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const

/**
 * The largest payload either side sends: an extended command APDU (4 + 3 + 65,535 + 3 bytes) fits
 * in the 16-bit length field, so the field itself is the bound; a frame cannot claim more.
 */
export const VPCD_PAYLOAD_BYTES_MAX = 0xffff

export type VpcdMessage =
  | { readonly kind: "control"; readonly code: number }
  | { readonly kind: "apdu"; readonly command: Uint8Array }
  /** A zero-length frame: vpcd never sends one; kept as a value so the link can log and drop it. */
  | { readonly kind: "empty" }

export const encodeFrame = (payload: Uint8Array): Uint8Array => {
  if (payload.length > VPCD_PAYLOAD_BYTES_MAX)
    throw new RangeError(
      `a vpcd frame carries at most ${VPCD_PAYLOAD_BYTES_MAX} bytes, not ${payload.length}`,
    )
  const frame = new Uint8Array(2 + payload.length)
  frame[0] = payload.length >> 8
  frame[1] = payload.length & 0xff
  frame.set(payload, 2)
  return frame
}

export const messageOf = (payload: Uint8Array): VpcdMessage =>
  payload.length === 0
    ? { kind: "empty" }
    : payload.length === 1
      ? { kind: "control", code: payload[0]! }
      : { kind: "apdu", command: payload }

/** Splits a byte stream into frames; holds at most one partial frame (≤ 65,537 bytes). */
export class VpcdFrameDecoder {
  private pending: Uint8Array = new Uint8Array(0)

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.pending.length + chunk.length)
    joined.set(this.pending)
    joined.set(chunk, this.pending.length)
    const frames: Uint8Array[] = []
    let at = 0
    while (joined.length - at >= 2) {
      const length = (joined[at]! << 8) | joined[at + 1]!
      if (joined.length - at - 2 < length) break
      frames.push(joined.slice(at + 2, at + 2 + length))
      at += 2 + length
    }
    this.pending = joined.slice(at)
    return frames
  }

  /** Bytes of an incomplete frame still waiting for the rest (0 between whole frames). */
  pendingBytes(): number {
    return this.pending.length
  }
}
