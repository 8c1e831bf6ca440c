/**
 * What the qPBOC terminal kernel reports for one transaction (EMV Contactless Book A §9 "outcome"
 * simplified to what the twin's parties act on). Every field comes from the card's bytes.
 */
import type { OnlineRequest } from "./online-authorizer.ts"

/** The step of the dialogue at which a card answered an unexpected status word. */
export type KernelStep =
  | "select-ppse"
  | "select-application"
  | "get-data"
  | "gpo"
  | "read-record"
  | "generate-ac-1"
  | "external-authenticate"
  | "internal-authenticate"
  | "generate-ac-2"
  | "issuer-script"

/** The kernel's TVR and TSI (hex) and its fDDA result, present when the kernel ran its checks. */
export interface CheckReport {
  readonly tvr: string
  readonly tsi: string
  readonly oda: string
  /** CVM Results 9F34 (hex) when the kernel processed the card's CVM list (cvm-processing.ts). */
  readonly cvmResults?: string
}

export type TerminalOutcome =
  | {
      readonly kind: "approved-offline"
      readonly atc: number
      /** 9F5D after an e-cash purchase. */
      readonly balanceAfterFen: number | null
      readonly cryptogram: Uint8Array
      /**
       * What the terminal journals for clearing: PAN, PSN, terminal data, AIP, ATC, IAD and the TC
       * (in the ARQC's place), the data the issuer recomputes the TC from (tc-verifier.ts).
       */
      readonly tcData: OnlineRequest
      readonly checks?: CheckReport
    }
  | {
      readonly kind: "approved-online"
      readonly atc: number
      /** Status word of each issuer-script command, in order (empty when none were sent). */
      readonly scriptSws: ReadonlyArray<number>
      /** The ARQC the issuer answered and the TC of the second GENERATE AC (null on qPBOC online). */
      readonly arqc: Uint8Array
      readonly tc: Uint8Array | null
      /** Issuer script results 9F5B (hex) when scripts were sent (standard-path.ts). */
      readonly scriptResults?: string
      readonly checks?: CheckReport
    }
  | {
      readonly kind: "declined"
      readonly atc: number | null
      readonly reason:
        | "card-aac"
        | "issuer-declined"
        | "issuer-authentication-failed"
        | "no-issuer-response"
        | "oda-failed"
        | "exception-file"
        | "over-contactless-limit"
      /** The PAN that matched the exception file (reason "exception-file"). */
      readonly pan?: string
      readonly scriptSws: ReadonlyArray<number>
      readonly scriptResults?: string
      readonly checks?: CheckReport
    }
  | { readonly kind: "card-blocked"; readonly sw: number }
  | { readonly kind: "error"; readonly step: KernelStep; readonly sw: number; readonly message: string }
