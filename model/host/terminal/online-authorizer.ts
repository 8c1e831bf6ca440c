/**
 * The kernel's view of the acquirer → issuer round trip: a function from the authorisation request
 * to the issuer's answer, or null when no answer came (timeout, link down). The party that owns the
 * terminal supplies it; tests plug the issuer code in directly.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { TerminalData } from "../../card/applets/pboc/cryptogram-input.ts"

export interface OnlineRequest {
  readonly path: "qpboc" | "pboc"
  /** PAN digits from record tag 5A, and the PSN from 5F34 as 2 digits (null if absent). */
  readonly pan: string
  readonly psn: string | null
  readonly terminal: TerminalData
  readonly aip: Uint8Array
  readonly atc: number
  readonly iad: Uint8Array
  readonly arqc: Uint8Array
  /** The card's 9F79 read before a load, null otherwise. */
  readonly balanceBeforeFen: number | null
  /** Online PIN: ISO 9564 format 0 under the terminal PIN key (model/crypto/pin-block.ts). */
  readonly pinBlock?: Uint8Array
}

export interface OnlineResponse {
  readonly approved: boolean
  /** ARPC ‖ ARC for EXTERNAL AUTHENTICATE, or null (the ARQC was false). */
  readonly issuerAuthenticationData: Uint8Array | null
  /** Issuer-script commands to send after the second GENERATE AC (script template 72). */
  readonly scripts: ReadonlyArray<CommandApdu>
}

export type OnlineAuthorizer = (request: OnlineRequest) => OnlineResponse | null
