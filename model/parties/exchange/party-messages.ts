/**
 * The bodies of the messages institutions exchange through the MTPS hub (issue 5). JR/T 0088-0098
 * message formats are not public, so this is the twin's own profile (DESIGN.md §1: "never a
 * silent invention"): one body per request and answer, bytes as upper-case hex, each carrying the
 * secure element it concerns. Requests are idempotent by the envelope's order id.
 *
 * Local stand-in until the shared message union (model/parties/messages*) lands; the kinds map
 * one to one onto it.
 */

/** SP-side TSM → SE issuer: create the SP's SSD on `seId` (INSTALL + PUT KEY under the ISD's DEK). */
export interface CreateSsd {
  readonly kind: "create-ssd"
  /** The SP the SSD is for; MTPS checks it is the envelope's signer (SP authentication). */
  readonly spId: string
  readonly seId: string
  readonly ssdAid: string
  /** Also load the payment package through the ISD when the SE does not hold it yet. */
  readonly loadPackage: boolean
}

/** SE issuer → SP-side TSM: the SSD exists; its first key set, SM2-encrypted to the SP's key. */
export interface SsdCreated {
  readonly kind: "ssd-created"
  readonly seId: string
  readonly ssdAid: string
  readonly keysCipher: string
}

export interface DeleteSsd {
  readonly kind: "delete-ssd"
  readonly seId: string
  readonly ssdAid: string
}

export interface SsdDeleted {
  readonly kind: "ssd-deleted"
  readonly seId: string
  readonly ssdAid: string
}

/** SP-side TSM → SE issuer: relay these C-APDUs over the OTA bearer (the wallet is unreachable). */
export interface OtaScript {
  readonly kind: "ota-script"
  readonly seId: string
  readonly exchangeId: string
  readonly capdus: ReadonlyArray<string>
}

export interface OtaResult {
  readonly kind: "ota-result"
  readonly seId: string
  readonly exchangeId: string
  readonly rapdus: ReadonlyArray<string>
}

export type AppState = "active" | "locked" | "removed"

/** SP-side TSM → MTPS: the registry entry (SE, application) ↔ SP and its state. */
export interface RegisterApp {
  readonly kind: "register-app"
  readonly seId: string
  readonly appAid: string
  readonly state: AppState
}

export interface Registered {
  readonly kind: "registered"
  readonly seId: string
  readonly appAid: string
  readonly state: AppState
}

/** A refusal; `retryable` says whether the same order may succeed later (busy, bearer failure). */
export interface Nack {
  readonly kind: "nack"
  readonly reason: string
  readonly retryable: boolean
}

export type PartyMessage =
  | CreateSsd
  | SsdCreated
  | DeleteSsd
  | SsdDeleted
  | OtaScript
  | OtaResult
  | RegisterApp
  | Registered
  | Nack

/** Requests travel towards the SE issuer (or MTPS itself); answers travel back to the origin. */
export const isRequest = (m: PartyMessage): boolean =>
  m.kind === "create-ssd" || m.kind === "delete-ssd" || m.kind === "ota-script" || m.kind === "register-app"
