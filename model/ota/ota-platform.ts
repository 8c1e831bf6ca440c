/**
 * The telco OTA platform's side of one key set (TS 102 225 §5.1): it wraps a GP command script
 * into a command packet with the next counter value, and opens the PoR the SIM answers.
 */
import { err, ok, type Result } from "../bytes/result.ts"
import type { Crypto } from "../crypto/crypto.ts"
import type { PorStatus, Spi } from "./ota-security.ts"
import { decodeResponseScript, encodeCommandScript } from "./remote-script.ts"
import {
  commandPacketBytes,
  encodeCommandPacket,
  type OtaKeys,
  openResponsePacket,
  type ResponseError,
} from "./secured-packet.ts"

export interface PorResult {
  readonly status: PorStatus
  readonly counter: number
  /** The R-APDUs (data ‖ SW) of the commands the SIM executed; empty when status ≠ 00. */
  readonly responses: ReadonlyArray<Uint8Array>
}

export class OtaPlatform {
  private counter: number

  constructor(
    private readonly crypto: Crypto,
    private readonly keys: OtaKeys,
    readonly spi: Spi,
    lastCounter = 0,
  ) {
    this.counter = lastCounter
  }

  /** The command packet carrying `apdus` to the application `tar`, with the next counter. */
  command(tar: Uint8Array, apdus: ReadonlyArray<Uint8Array>): Uint8Array {
    this.counter += 1
    const header = { spi: this.spi, tar, counter: this.counter }
    return encodeCommandPacket(this.crypto, this.keys, header, encodeCommandScript(apdus))
  }

  /** The length of the packet carrying a command script of `scriptBytes` (no cryptography). */
  packetBytes(scriptBytes: number): number {
    return commandPacketBytes(this.spi, this.keys.algorithm, scriptBytes)
  }

  por(userData: Uint8Array): Result<PorResult, ResponseError> {
    const opened = openResponsePacket(this.crypto, this.keys, this.spi, userData)
    if (!opened.ok) return opened
    const { status, counter, data } = opened.value
    if (data.length === 0) return ok({ status, counter, responses: [] })
    const script = decodeResponseScript(data)
    return script.ok ? ok({ status, counter, responses: script.value }) : err("malformed")
  }
}
