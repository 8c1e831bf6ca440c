/**
 * One order in flight in the pilot (an object per in-flight order is fine, net-common rule 2;
 * per-user state lives in issuance-registries.ts): which user, which path, its order-machine
 * state, and what the parties remember about it while it runs — MTPS's route back to the TSM that
 * asked, and the SE issuer's record of the order's last job (idempotence by order id:
 * model/parties/telco/issuer-requests.ts).
 */
import type { Message } from "../../../parties/messages/messages.ts"
import type { OrderKind, OrderState } from "../../../parties/tsm/order-machine.ts"
import type { CardWork } from "../byte-level-cards.ts"

export const FLOW_PATHS = [
  "local-bank",
  "national-bank",
  "campaign",
  "reissue",
  "lock",
  "close",
  "sim-swap",
] as const
export type FlowPath = (typeof FLOW_PATHS)[number]

export const ORDER_KIND_OF: Readonly<Record<FlowPath, OrderKind>> = {
  "local-bank": "issue",
  "national-bank": "issue",
  campaign: "issue",
  reissue: "reissue",
  lock: "lock",
  close: "close",
  "sim-swap": "sim-swap",
}

export interface Flow {
  readonly user: number
  readonly path: FlowPath
  readonly kind: OrderKind
  /** Through the 贵州通 TSM (local banks, campaigns) or a national bank's SP-TSM. */
  readonly viaGzt: boolean
  readonly orderId: string
  startUs: number
  /** Failed step attempts (OTA failures, timeouts, refusals) over the order's life. */
  attempts: number
  state: OrderState
  /** MTPS's record of who asked (decideMtps "route"); "" until routed. */
  origin: string
  /** The SE issuer's last job for this order: its request key, when it ends, its answer if it succeeded. */
  jobKey: string
  jobEndUs: number
  jobAnswer: Message | null
  /** The user's SE was lost with the phone (挂失 before 销户): the issuer retires it without OTA. */
  seLost: boolean
  /** A byte-level user's card work, made at create-ssd and charged over the OTA steps; null otherwise. */
  cardWork: CardWork | null
}
