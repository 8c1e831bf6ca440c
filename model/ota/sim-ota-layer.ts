/**
 * The SIM's OTA layer, the receiving entity of TS 102 225 §5.1: it opens a command packet
 * (structure, deciphering, CC), checks the counter as the SPI asks against the counter it keeps
 * for the key set (§5.1.1: "higher" or "exactly one higher"; counter low / high / blocked are PoR
 * statuses 02 / 03 / 04), hands the script to the application its TAR names (for the ISD, TAR
 * 000000, TS 101 220 Annex D), and answers with a PoR secured as SPI octet 2 asks.
 */

import { toHex } from "../bytes/hex.ts"
import { err, ok, type Result } from "../bytes/result.ts"
import type { Crypto } from "../crypto/crypto.ts"
import { PorStatus, type Spi } from "./ota-security.ts"
import { continuesAfter, decodeCommandScript, encodeResponseScript } from "./remote-script.ts"
import { encodeResponsePacket, type OtaKeys, openCommandPacket } from "./secured-packet.ts"

/** An application reachable by OTA: its TAR and how it executes one C-APDU. */
export interface OtaTarget {
  readonly tar: Uint8Array
  readonly transmit: (apdu: Uint8Array) => Uint8Array
}

const COUNTER_MAX = 2 ** 40 - 1

export class SimOtaLayer {
  /** The last accepted counter per key set (by KIc key index), persistent on a real card. */
  private readonly counters = new Map<number, number>()

  constructor(
    private readonly crypto: Crypto,
    private readonly keySets: ReadonlyArray<OtaKeys>,
    private readonly targets: ReadonlyArray<OtaTarget>,
  ) {}

  counterOf(keyIndex: number): number {
    return this.counters.get(keyIndex) ?? 0
  }

  /** Processes one command packet; answers the PoR user data, or null when none is requested. */
  receive(packet: Uint8Array): Uint8Array | null {
    const keysFor = (ki: number) => this.keySets.find((k) => k.index === ki >> 4)
    const opened = openCommandPacket(this.crypto, keysFor, packet)
    if (!opened.ok) {
      const { status, tar, counter, spi } = opened.error
      return spi === null
        ? null
        : this.por(spi, keysFor(packet[5] ?? 0), { tar, counter, status, data: new Uint8Array(0) })
    }
    const { header, data, kic } = opened.value
    const keys = keysFor(kic)
    const refuse = (status: PorStatus) =>
      this.por(header.spi, keys, { ...header, status, data: new Uint8Array(0) })
    const counterCheck = this.checkCounter(kic >> 4, header.spi, header.counter)
    if (!counterCheck.ok) return refuse(counterCheck.error)
    const target = this.targets.find((t) => toHex(t.tar) === toHex(header.tar))
    if (target === undefined) return refuse(PorStatus.TAR_UNKNOWN)
    const script = decodeCommandScript(data)
    if (!script.ok) return refuse(PorStatus.UNDEFINED_SECURITY_ERROR)
    if (header.spi.counter === "higher" || header.spi.counter === "one-higher") {
      this.counters.set(kic >> 4, header.counter)
    }
    const responses: Uint8Array[] = []
    for (const apdu of script.value) {
      const r = target.transmit(apdu)
      responses.push(r)
      if (!continuesAfter((r[r.length - 2]! << 8) | r[r.length - 1]!)) break
    }
    return this.por(header.spi, keys, {
      ...header,
      status: PorStatus.OK,
      data: encodeResponseScript(responses),
    })
  }

  private checkCounter(keyIndex: number, spi: Spi, counter: number): Result<void, PorStatus> {
    const last = this.counterOf(keyIndex)
    if (spi.counter !== "higher" && spi.counter !== "one-higher") return ok(undefined)
    if (last >= COUNTER_MAX) return err(PorStatus.COUNTER_BLOCKED)
    if (counter <= last) return err(PorStatus.COUNTER_LOW)
    if (spi.counter === "one-higher" && counter !== last + 1) return err(PorStatus.COUNTER_HIGH)
    return ok(undefined)
  }

  private por(
    spi: Spi,
    keys: OtaKeys | undefined,
    fields: { tar: Uint8Array; counter: number; status: PorStatus; data: Uint8Array },
  ): Uint8Array | null {
    if (spi.por === "none" || (spi.por === "on-error" && fields.status === PorStatus.OK)) return null
    return encodeResponsePacket(this.crypto, keys, spi, fields)
  }
}
