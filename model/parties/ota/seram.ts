/**
 * The wallet app ↔ TSM channel access messages, after GP SERAM (../shared/ref/gp-seram,
 * gpseram.yaml): the Local Agent's Handshake Command (secure elements, versions) and the Remote
 * Agent's Handshake Response; Orders carrying RAM commands (start, SE RAM with a list of C-APDUs,
 * notification, stop) and Reports carrying the local agent status and SE RAM responses (lists of
 * R-APDUs). Field names follow the YAML. The HTTP REST binding is modelled as messages on a link;
 * the Initialization step (out of SERAM's scope) is a push that gives the app the session id.
 *
 * One simplification, said here: the Remote Agent answers the Handshake with the Handshake
 * Response and the first Order together, where HTTP polling would spend one more round trip on a
 * POLLING report.
 */

/**
 * SERAM's secure element types (gpseram.yaml `seType`): an NFC-SIM is a `uicc`, a phone's embedded
 * SE an `eSE`; SERAM has no type for a microSD SE, so an NFC-SD card reports `undefined`.
 */
export type SeType = "eSE" | "iSE" | "uicc" | "euicc" | "ieuicc" | "undefined"

export interface SecureElementRef {
  readonly seType: SeType
  readonly seId: string
}

export type RamCommand =
  | { readonly ramCommandType: "ramStartCommand" }
  | { readonly ramCommandType: "seRamCommand"; readonly listOfCAPDU: ReadonlyArray<string> }
  | { readonly ramCommandType: "notificationCommand"; readonly deviceAppNotification: string }
  | { readonly ramCommandType: "ramStopCommand" }

export type LocalAgentStatus =
  | "PROCESSED"
  | "POLLING"
  | "UNAVAILABLE_SE"
  | "UNKNOWN_FAILURE"
  | "UNGRANTED_ACCESS"

/** TSM → wallet app. */
export type ChannelDown =
  | { readonly kind: "trigger"; readonly sessionId: string; readonly seId: string }
  | {
      readonly kind: "order"
      readonly sessionId: string
      readonly handshake?: { readonly chosenVersion: "2.0.0"; readonly chosenTransportProtocol: "HTTPS" }
      readonly chosenSecureElement?: SecureElementRef
      readonly ramCommands: ReadonlyArray<RamCommand>
    }

/** Wallet app → TSM. */
export type ChannelUp =
  | {
      readonly kind: "handshake"
      readonly sessionId: string
      readonly secureElements: ReadonlyArray<SecureElementRef>
      readonly supportedVersions: ReadonlyArray<string>
    }
  | {
      readonly kind: "report"
      readonly sessionId: string
      readonly localAgentStatus: {
        readonly localAgentStatusEnum: LocalAgentStatus
        readonly executedSeRamCommands: number
      }
      readonly ramResponses: ReadonlyArray<{
        readonly ramResponseType: "seRamResponse"
        readonly listOfRAPDU: ReadonlyArray<string>
      }>
    }

/** Telco OTA bearer (SMS-PP / BIP / HTTP admin), downlink and uplink: one script, its answers. */
export interface OtaDown {
  readonly seId: string
  readonly exchangeId: string
  readonly capdus: ReadonlyArray<Uint8Array>
}

export interface OtaUp {
  readonly seId: string
  readonly exchangeId: string
  readonly rapdus: ReadonlyArray<Uint8Array>
}
