/**
 * Messages of OTA issuance (空中发卡, DESIGN.md §1): SSD creation by the SE issuer (telco TSM),
 * applet installation and personalization (STORE DATA under the SSD's secure channel), each a
 * request and a response. The APDU scripts travel as hex; the SE issuer or SP-TSM that holds the
 * secure-channel keys builds them, the hub only routes.
 *
 * This is the twin's own profile, not JR/T 0088-0098: those TSM/MTPS interface texts are not
 * public (ref/PROTOCOLS.md §5), so names, fields and codes here are ours, chosen after the steps
 * the pilot documents name.
 */
import { hexField, hexListField, institutionField, literalsField, uintField } from "./message-fields.ts"
import { defineMessage } from "./message-kind.ts"

/** Which business flow a message belongs to: 空中发卡, 挂失, 补卡, 销户 and a SIM swap. */
export const FLOWS = ["ota-issuance", "loss-report", "reissue", "closure", "sim-swap"] as const

export const flow = literalsField(FLOWS)
/** Attempt number of the order step (the order machine ignores answers to older attempts). */
export const attempt = uintField(1)
/** SE identifier (e.g. the CPLC-derived SEID), 8..16 bytes. */
export const seId = hexField(8, 16)
/** ISO/IEC 7816-5 application identifier, 5..16 bytes. */
export const aid = hexField(5, 16)
export const statusWord = uintField(2)
/** Short APDUs: 4-byte header up to header + Lc + 255 data + Le (ISO/IEC 7816-4 §5.1). */
export const apduScript = hexListField(64, 4, 261)
/** Card responses, data + SW1 SW2 (2..258 bytes). */
export const responseList = hexListField(64, 2, 258)

export const SsdCreateRequest = defineMessage("SsdCreateRequest", 0x01, {
  attempt,
  flow,
  seId,
  ssdAid: aid,
  serviceProviderId: institutionField,
})

export const SsdCreateResponse = defineMessage("SsdCreateResponse", 0x02, {
  attempt,
  seId,
  ssdAid: aid,
  outcome: literalsField(["created", "already-exists", "refused", "se-unreachable"]),
  statusWord,
  /** The SSD's initial keys for the SP, encrypted to the SP (SM2); empty when none were made. */
  keySetCryptogram: hexField(0, 256),
})

/** The outcome of running a script on the SE, shared by every script-carrying response. */
export const scriptResultFields = {
  attempt,
  seId,
  aid,
  outcome: literalsField(["done", "failed", "se-unreachable"]),
  /** Commands that ran before the script ended or stopped. */
  executedCount: uintField(2),
  lastStatusWord: statusWord,
  responses: responseList,
} as const

export const AppletInstallRequest = defineMessage("AppletInstallRequest", 0x03, {
  attempt,
  flow,
  seId,
  ssdAid: aid,
  packageAid: aid,
  appletAid: aid,
  instanceAid: aid,
  script: apduScript,
})

export const AppletInstallResponse = defineMessage("AppletInstallResponse", 0x04, scriptResultFields)

export const PersonalizationRequest = defineMessage("PersonalizationRequest", 0x05, {
  attempt,
  flow,
  seId,
  instanceAid: aid,
  script: apduScript,
})

export const PersonalizationResponse = defineMessage("PersonalizationResponse", 0x06, scriptResultFields)

/**
 * A script an SP-side TSM wrapped under its own SSD's secure channel, relayed to the SE by the SE
 * issuer's OTA bearer (SMS-PP / BIP / HTTP admin) when the wallet app cannot carry it: 挂失 on a
 * lost phone, or an SP-TSM without a wallet channel. The issuer only forwards: the SSD's C-MAC
 * covers every command, so it can neither read the keys inside nor alter the script unnoticed.
 * `exchange` pairs the answer with its request (a secure-channel session takes two rounds).
 */
export const ScriptRelayRequest = defineMessage("ScriptRelayRequest", 0x07, {
  attempt,
  flow,
  seId,
  aid,
  exchange: uintField(4),
  script: apduScript,
})

export const ScriptRelayResponse = defineMessage("ScriptRelayResponse", 0x08, {
  exchange: uintField(4),
  ...scriptResultFields,
})
