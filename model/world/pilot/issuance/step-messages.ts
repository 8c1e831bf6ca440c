/**
 * The message each order step sends towards the SE (the twin's profile of the TSM ↔ MTPS ↔ SE
 * issuer messages, model/parties/messages/): SSD creation, the SP's scripts relayed by the SE
 * issuer (personalization, the 挂失 lock, deleting the app), deleting the SSD, and registry
 * updates. Background orders carry no script bytes (`script: []`: the bytes are elided and their
 * cost charged, DESIGN.md §4); byte-level users' cards run the real APDUs (byte-level-cards.ts).
 */
import type { Message } from "../../../parties/messages/messages.ts"
import type { StepName } from "../../../parties/tsm/order-machine.ts"
import { CARD_AID, oldSeIdOf, REG_NAMES, Reg, SSD_AID, seIdOf } from "./issuance-registries.ts"
import type { Flow } from "./pilot-order.ts"

const FLOW_OF = {
  issue: "ota-issuance",
  reissue: "reissue",
  lock: "loss-report",
  close: "closure",
  "sim-swap": "sim-swap",
} as const

/** Exchange numbers of relayed scripts, so each relay of one order has its own request key. */
const EXCHANGE = { personalize: 1, "ota-lock": 2, "delete-app": 3 } as const

/**
 * A SIM swap's deregister-old names the user's previous SE (the replaced UICC), which MTPS's
 * registry still holds beside the new one; a 补卡's names the slot's SE, retired before the new
 * card is made (issuance-registries.ts).
 */
export const stepMessage = (flow: Flow, step: StepName, attempt: number, sp: string): Message => {
  const old = flow.kind === "sim-swap" && step === "deregister-old"
  const seId = old ? oldSeIdOf(flow.user) : seIdOf(flow.user)
  const f = FLOW_OF[flow.kind]
  switch (step) {
    case "create-ssd":
      return { _tag: "SsdCreateRequest", attempt, flow: f, seId, ssdAid: SSD_AID, serviceProviderId: sp }
    case "personalize":
    case "ota-lock":
    case "delete-app":
      return {
        _tag: "ScriptRelayRequest",
        attempt,
        flow: f,
        seId,
        aid: step === "delete-app" ? CARD_AID : SSD_AID,
        exchange: EXCHANGE[step],
        script: [],
      }
    case "delete-ssd":
      return { _tag: "DeleteRequest", attempt, flow: f, seId, aid: SSD_AID, script: [], deleteRelated: true }
    default: {
      const state = step === "register" ? (flow.kind === "lock" ? Reg.locked : Reg.active) : Reg.deleted
      return {
        _tag: "RegistryUpdate",
        flow: f,
        seId,
        aid: CARD_AID,
        serviceProviderId: sp,
        state: REG_NAMES[state] as Exclude<(typeof REG_NAMES)[number], "none">,
      }
    }
  }
}
