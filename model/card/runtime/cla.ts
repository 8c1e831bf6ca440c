/**
 * CLA byte decoding (ISO 7816-4 §5.4.1; GP 2.3 §11.1.4): interindustry 0x-class with channels
 * 0-3 in b2-b1 and secure messaging in b4-b3; further interindustry 4x-7x with channels 4-19 in
 * b4-b1 and secure messaging in b6; GP's proprietary 8x and Cx/Ex classes mirror them with b8 set.
 */
import type { Failure } from "./outcome.ts"

export interface ClassByte {
  readonly channel: number
  readonly secureMessaging: boolean
  readonly proprietary: boolean
  /**
   * The CLA as channel 0 would carry it (80/84 or 00/04): what secure messaging MACs and what the
   * card manager sees, so a channel's number never changes the MAC (the twin's rule, applied on
   * host and card alike).
   */
  readonly normalized: number
}

export const decodeCla = (cla: number): ClassByte | Failure => {
  if (cla === 0xff) return "cla-not-supported"
  const proprietary = (cla & 0x80) !== 0
  if ((cla & 0x40) === 0) {
    if ((cla & 0x20) !== 0) return "cla-not-supported"
    if ((cla & 0x10) !== 0) return "chaining-not-supported"
    // GP 2.3 §11.1.4.1: secure messaging is b3 alone; b4 (ISO's "header authenticated" forms)
    // is refused so that every CLA bit either changes the routing or is covered by the MAC.
    if ((cla & 0x08) !== 0) return "cla-not-supported"
    const secureMessaging = (cla & 0x04) !== 0
    return {
      channel: cla & 0x03,
      secureMessaging,
      proprietary,
      normalized: normalize(proprietary, secureMessaging),
    }
  }
  if ((cla & 0x10) !== 0) return "chaining-not-supported"
  const secureMessaging = (cla & 0x20) !== 0
  return {
    channel: 4 + (cla & 0x0f),
    secureMessaging,
    proprietary,
    normalized: normalize(proprietary, secureMessaging),
  }
}

const normalize = (proprietary: boolean, secureMessaging: boolean): number =>
  (proprietary ? 0x80 : 0x00) | (secureMessaging ? 0x04 : 0x00)

/** The CLA a host uses on `channel` for a channel-0 CLA (inverse of `normalized`). */
export const claForChannel = (normalized: number, channel: number): number => {
  const proprietary = normalized & 0x80
  const sm = (normalized & 0x04) !== 0
  if (channel < 4) return proprietary | (sm ? 0x04 : 0) | channel
  return proprietary | 0x40 | (sm ? 0x20 : 0) | (channel - 4)
}
