/**
 * The MTPS hub's behaviour as a pure `decideMtps(state, input) → actions` (DESIGN.md §4: parties
 * are a declaration plus a pure decide applied by a thin shell). The input is an envelope the shell
 * already verified (so `sender` is authenticated); the state is read, never written: changes come
 * back as actions the shell applies. What the hub does (the twin's profile; JR/T 0088-0098 are not
 * public):
 * - SP authentication/authorization: an SSD creation or a registry update names its service
 *   provider, which must be the envelope's signer;
 * - routing: card-management requests go to the SE issuer that owns the SE (registry SE ↔
 *   issuer), the issuer's answers back to the institution that asked for that order;
 * - registry: (SE, application) ↔ SP and state, acknowledged to the SP.
 */
import type { Message } from "../messages/messages.ts"

export interface AppRecord {
  readonly spId: string
  readonly state: string
}

/** A look-up the hub reads; a Map is one, and so is the pilot's typed-array registry (issue 12). */
export interface Lookup<V> {
  get(key: string): V | undefined
}

/**
 * What the hub reads, as small interfaces rather than Maps, so scenario 02's MtpsHub (Maps) and the
 * pilot's registry (typed arrays per user, model/world/pilot/issuance/) run the same decision.
 */
export interface MtpsState {
  /** SE id → the SE issuer's institution id. */
  readonly issuerOf: Lookup<string>
  /** Order id → the institution that asked (where the issuer's answers go). */
  readonly originOf: Lookup<string>
  /** Institutions that are SE issuers (their messages are answers to route back). */
  readonly issuers: { has(id: string): boolean }
}

export interface MtpsInput {
  readonly sender: string
  readonly orderId: string
  readonly nonceHex: string
  readonly message: Message
}

export type MtpsAction =
  | { readonly kind: "send"; readonly to: string; readonly message: Message }
  | { readonly kind: "route"; readonly orderId: string; readonly origin: string }
  | {
      readonly kind: "registry"
      readonly seId: string
      readonly aid: string
      readonly record: AppRecord
    }

const refuse = (to: string, refersToNonce: string, detail: string): MtpsAction => ({
  kind: "send",
  to,
  message: { _tag: "ErrorReport", code: "refused", refersToNonce, detail },
})

const routeToIssuer = (state: MtpsState, input: MtpsInput, seId: string): ReadonlyArray<MtpsAction> => {
  const issuer = state.issuerOf.get(seId)
  if (issuer === undefined) return [refuse(input.sender, input.nonceHex, `SE ${seId} not registered`)]
  return [
    { kind: "route", orderId: input.orderId, origin: input.sender },
    { kind: "send", to: issuer, message: input.message },
  ]
}

export const decideMtps = (state: MtpsState, input: MtpsInput): ReadonlyArray<MtpsAction> => {
  const m = input.message
  if (state.issuers.has(input.sender)) {
    // An issuer's answer: back to whoever asked for the order; an unknown order is dropped.
    const origin = state.originOf.get(input.orderId)
    return origin === undefined ? [] : [{ kind: "send", to: origin, message: m }]
  }
  switch (m._tag) {
    case "RegistryUpdate":
      if (m.serviceProviderId !== input.sender)
        return [refuse(input.sender, input.nonceHex, "the SP is not the signer")]
      return [
        { kind: "registry", seId: m.seId, aid: m.aid, record: { spId: m.serviceProviderId, state: m.state } },
        {
          kind: "send",
          to: input.sender,
          message: { _tag: "Acknowledgement", acknowledgedNonce: input.nonceHex },
        },
      ]
    case "SsdCreateRequest":
      if (m.serviceProviderId !== input.sender)
        return [refuse(input.sender, input.nonceHex, "the SP is not the signer")]
      return routeToIssuer(state, input, m.seId)
    case "DeleteRequest":
    case "LockRequest":
    case "UnlockRequest":
    case "ScriptRelayRequest":
    case "AppletInstallRequest":
    case "PersonalizationRequest":
      return routeToIssuer(state, input, m.seId)
    default:
      return [refuse(input.sender, input.nonceHex, `MTPS does not take ${m._tag}`)]
  }
}
