/**
 * MTPS in the pilot: the same `decideMtps` (model/parties/mtps/mtps-decide.ts) scenario 02's hub
 * runs, over the pilot's state — SE → issuer from the typed-array registry (the SE's issuer by the
 * user's SE type and telco), order → origin from the order in flight — with its own servers (a
 * pool sized by `capacity.mtps`). Registry actions write MTPS's half of the registries
 * (issuance-registries.ts); sends are handed back to the caller, which carries them on.
 * Background orders' envelopes carry no bytes (the SM2 signature and its verification are
 * charged as the hub's service time); byte-level envelopes are net-bytes' part.
 */
import type { Message } from "../../../parties/messages/messages.ts"
import type { Lookup, MtpsState } from "../../../parties/mtps/mtps-decide.ts"
import { PILOT_NETWORK } from "../../network.ts"
import type { Count, PartyDecisions } from "../party-decisions.ts"
import type { MtpsDecision } from "../pilot-party-layers.ts"
import { ServerPool } from "../server-pool.ts"
import {
  type IssuanceRegistries,
  isOldSeId,
  regOfName,
  SE_ISSUERS,
  SPS,
  slotOfSeId,
} from "./issuance-registries.ts"
import type { Flow } from "./pilot-order.ts"

/** What became of a message at the hub. */
export type HubOutcome =
  | { readonly kind: "forward"; readonly to: string; readonly message: Message }
  | { readonly kind: "refused"; readonly detail: string }
  | { readonly kind: "dropped" }

const DROPPED: HubOutcome = { kind: "dropped" }

export class PilotMtps implements MtpsState {
  readonly pool: ServerPool
  readonly issuerOf: Lookup<string>
  readonly originOf: Lookup<string>
  readonly issuers: ReadonlySet<string> = new Set(SE_ISSUERS.slice(1))
  private readonly counts: {
    readonly route: Count
    readonly registry: Count
    readonly answer: Count
    readonly refuse: Count
  }

  constructor(
    servers: number,
    private readonly registries: IssuanceRegistries,
    ordersInFlight: ReadonlyMap<string, Flow>,
    decisions: PartyDecisions,
    /** MTPS's decision as the run's layers provide it (pilot-party-layers.ts). */
    private readonly decideMtps: MtpsDecision["decideMtps"],
  ) {
    this.pool = new ServerPool(PILOT_NETWORK.mtps.id, servers)
    this.issuerOf = {
      get: (seId) => {
        const slot = slotOfSeId(seId)
        const code = slot >= 0 && slot < registries.slots ? registries.seIssuer[slot]! : 0
        return code === 0 ? undefined : SE_ISSUERS[code]
      },
    }
    this.originOf = {
      get: (orderId) => {
        const origin = ordersInFlight.get(orderId)?.origin
        return origin === "" ? undefined : origin
      },
    }
    const id = PILOT_NETWORK.mtps.id
    this.counts = {
      route: decisions.decision(id, "route"),
      registry: decisions.decision(id, "registry"),
      answer: decisions.decision(id, "answer-back"),
      refuse: decisions.error(id, "refused"),
    }
  }

  /** The hub's decision on one verified envelope, applied: registry writes here, sends returned. */
  receive(sender: string, flow: Flow, message: Message): HubOutcome {
    const actions = this.decideMtps(this, { sender, orderId: flow.orderId, nonceHex: "", message })
    let out: HubOutcome = DROPPED
    for (const a of actions) {
      if (a.kind === "route") {
        flow.origin = a.origin
        this.counts.route.n++
      } else if (a.kind === "registry") {
        const slot = slotOfSeId(a.seId)
        this.counts.registry.n++
        // The previous SE of a SIM swap (its entry kept beside the new SE's until deregister-old).
        if (isOldSeId(a.seId)) {
          this.registries.oldMtps[slot] = regOfName(a.record.state)
          continue
        }
        this.registries.mtps[slot] = regOfName(a.record.state)
        this.registries.mtpsSp[slot] = Math.max(0, SPS.indexOf(a.record.spId as (typeof SPS)[number]))
      } else if (a.message._tag === "ErrorReport") {
        this.counts.refuse.n++
        out = { kind: "refused", detail: a.message.detail }
      } else {
        if (this.issuers.has(sender)) this.counts.answer.n++
        out = { kind: "forward", to: a.to, message: a.message }
      }
    }
    return out
  }
}
