/**
 * The decisions of the pilot network's parties as Effect services (DESIGN.md §2, control plane:
 * "each party kind a Context.Service with a static layer"; issue 12 item 1). Each service holds a
 * party's pure decision functions from model/parties — the 贵州通 TSM's order machine, MTPS's
 * routing and registry, the SE issuers' admission, the issuing banks' authorization host, and
 * UnionPay's stand-in and daily clearing. Its `layer` is the faithful party; a test or a what-if
 * provides another layer in its place (a host that declines, a hub that refuses).
 *
 * The composition root (pilot-root.ts) resolves the services once per run and hands the plain
 * functions to buildPilotWorld (PilotParties), so no Effect runs on the per-event path; the
 * flows call them as they called the imported functions before.
 */
import { Context, Layer } from "effect"
import { decideAuthorization } from "../../parties/bank/authorization-decision.ts"
import { decideMtps } from "../../parties/mtps/mtps-decide.ts"
import { admitRequest } from "../../parties/telco/issuer-requests.ts"
import { decideOrder } from "../../parties/tsm/order-machine.ts"
import { mayStandIn } from "../../parties/unionpay/stand-in.ts"
import { runClearingCycle } from "./payments/clearing-day.ts"

/** The 贵州通 TSM (and the banks' SP-TSMs, which run the same machine): every order's next step. */
export interface TsmDecision {
  readonly decideOrder: typeof decideOrder
}

/** MTPS: an envelope's route to the SE's issuer or back to the order's origin, and the registry. */
export interface MtpsDecision {
  readonly decideMtps: typeof decideMtps
}

/** An SE issuer (telco TSM, NFC-SD, eSE): whether a request starts a job, is answered again or refused. */
export interface SeIssuerDecision {
  readonly admitRequest: typeof admitRequest
}

/** An issuing bank's authorization host: known card, cryptogram, ATC, hot list, limit, funds. */
export interface BankHostDecision {
  readonly decideAuthorization: typeof decideAuthorization
}

/** UnionPay: the switch's stand-in for an unreachable issuer, and the day's clearing cycle. */
export interface UnionPayDecision {
  readonly mayStandIn: typeof mayStandIn
  readonly runClearingCycle: typeof runClearingCycle
}

/** The parties' decisions as the world's flows take them: plain functions, resolved once per run. */
export interface PilotParties {
  readonly tsm: TsmDecision
  readonly mtps: MtpsDecision
  readonly seIssuer: SeIssuerDecision
  readonly bankHost: BankHostDecision
  readonly unionpay: UnionPayDecision
}

/**
 * The faithful decisions as plain values: what the faithful layers hold, for the data-plane callers
 * that build a world without a composition root (tests and benchmarks that call runPilot directly);
 * the faithful layers below hold exactly these.
 */
export const FAITHFUL_PARTIES: PilotParties = {
  tsm: { decideOrder },
  mtps: { decideMtps },
  seIssuer: { admitRequest },
  bankHost: { decideAuthorization },
  unionpay: { mayStandIn, runClearingCycle },
}

export class TsmParty extends Context.Service<TsmParty, TsmDecision>()(
  "tsm-twin/model/world/pilot/TsmParty",
) {
  static readonly layer = Layer.succeed(TsmParty)(TsmParty.of(FAITHFUL_PARTIES.tsm))
}

export class MtpsParty extends Context.Service<MtpsParty, MtpsDecision>()(
  "tsm-twin/model/world/pilot/MtpsParty",
) {
  static readonly layer = Layer.succeed(MtpsParty)(MtpsParty.of(FAITHFUL_PARTIES.mtps))
}

export class SeIssuerParty extends Context.Service<SeIssuerParty, SeIssuerDecision>()(
  "tsm-twin/model/world/pilot/SeIssuerParty",
) {
  static readonly layer = Layer.succeed(SeIssuerParty)(SeIssuerParty.of(FAITHFUL_PARTIES.seIssuer))
}

export class BankHostParty extends Context.Service<BankHostParty, BankHostDecision>()(
  "tsm-twin/model/world/pilot/BankHostParty",
) {
  static readonly layer = Layer.succeed(BankHostParty)(BankHostParty.of(FAITHFUL_PARTIES.bankHost))
}

export class UnionPayParty extends Context.Service<UnionPayParty, UnionPayDecision>()(
  "tsm-twin/model/world/pilot/UnionPayParty",
) {
  static readonly layer = Layer.succeed(UnionPayParty)(UnionPayParty.of(FAITHFUL_PARTIES.unionpay))
}

/** Every party of the pilot network as its faithful layer. */
export const PILOT_PARTY_LAYERS = Layer.mergeAll(
  TsmParty.layer,
  MtpsParty.layer,
  SeIssuerParty.layer,
  BankHostParty.layer,
  UnionPayParty.layer,
)
