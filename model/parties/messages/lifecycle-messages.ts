/**
 * Lifecycle, registry and housekeeping messages: lock and unlock (挂失 and its release), delete
 * (销户, 补卡 on the old SE, compensation of a half-done issuance), registry updates that keep
 * the TSM's and MTPS's views of each SE in step, status queries, acknowledgements and error
 * reports. The twin's own profile (ref/PROTOCOLS.md §5: JR/T 0088-0098 are not public).
 */
import { aid, apduScript, attempt, flow, scriptResultFields, seId } from "./issuance-messages.ts"
import { booleanField, hexField, institutionField, literalsField, textField } from "./message-fields.ts"
import { defineMessage } from "./message-kind.ts"

/** An application's state as the registries record it. */
export const REGISTRY_STATES = [
  "ssd-created",
  "installed",
  "personalized",
  "active",
  "locked",
  "deleted",
] as const

const lifecycleRequestFields = { attempt, flow, seId, aid, script: apduScript } as const

export const LockRequest = defineMessage("LockRequest", 0x10, lifecycleRequestFields)
export const UnlockRequest = defineMessage("UnlockRequest", 0x11, lifecycleRequestFields)
export const DeleteRequest = defineMessage("DeleteRequest", 0x12, {
  ...lifecycleRequestFields,
  /** GP DELETE P2 bit 8: also delete related objects (the SSD's applets). */
  deleteRelated: booleanField,
})
export const LifecycleResponse = defineMessage("LifecycleResponse", 0x13, {
  action: literalsField(["lock", "unlock", "delete"]),
  ...scriptResultFields,
})

export const RegistryUpdate = defineMessage("RegistryUpdate", 0x20, {
  flow,
  seId,
  aid,
  serviceProviderId: institutionField,
  state: literalsField(REGISTRY_STATES),
})

export const StatusQuery = defineMessage("StatusQuery", 0x21, { attempt, seId, aid })

export const StatusReport = defineMessage("StatusReport", 0x22, {
  attempt,
  seId,
  aid,
  state: literalsField([...REGISTRY_STATES, "unknown"]),
})

/** The envelope nonce of the message acknowledged (envelope.ts). */
const envelopeNonce = hexField(16, 16)

export const Acknowledgement = defineMessage("Acknowledgement", 0x30, { acknowledgedNonce: envelopeNonce })

export const ERROR_CODES = [
  "unknown-order",
  "bad-state",
  "se-unreachable",
  "refused",
  "timeout",
  "malformed",
  "forged",
  "replayed",
  "expired",
  "unknown-sender",
  "revoked",
  "wrong-recipient",
  /** A saturated hub's refusal: retry after a backoff (appended, so earlier indices stay). */
  "busy",
] as const

export const ErrorReport = defineMessage("ErrorReport", 0x31, {
  code: literalsField(ERROR_CODES),
  /** The nonce of the envelope at fault, or empty when it could not be read. */
  refersToNonce: hexField(0, 16),
  detail: textField(200),
})
