/**
 * The party kinds of an issuance world as Effect services (DESIGN.md §2, control plane: "each
 * party kind a Context.Service with a static layer, so a scenario can swap a faulty MTPS for a
 * healthy one"). A service is a factory: the composition root (issuance-root.ts) resolves it once
 * per run and hands the plain function to buildWorld, so no Effect runs on the per-event path.
 */
import { Context, Layer } from "effect"
import type { Institution } from "../../parties/messages/institution.ts"
import type { SeIssuer, SeIssuerOptions } from "../../parties/telco/se-issuer.ts"
import type { PlatformTsm, TsmOptions } from "../../parties/tsm/platform-tsm.ts"
import { SCENARIO_PARTIES } from "./run-issuance.ts"
import type { MtpsFactory } from "./world.ts"

/** The MTPS hub: `layer` as the scenario describes it (its outage windows are faults). */
export class MtpsParty extends Context.Service<MtpsParty, { readonly make: MtpsFactory }>()(
  "tsm-twin/model/world/issuance/MtpsParty",
) {
  static readonly layer = Layer.succeed(MtpsParty)(MtpsParty.of({ make: SCENARIO_PARTIES.mtps }))
  /** The same hub without its outage windows: the what-if of a campaign with MTPS always up. */
  static readonly healthy = Layer.succeed(MtpsParty)(
    MtpsParty.of({
      make: (institution, sc) => SCENARIO_PARTIES.mtps(institution, { ...sc, mtpsOutages: [] }),
    }),
  )
}

export class SeIssuerParty extends Context.Service<
  SeIssuerParty,
  { readonly make: (institution: Institution, options: SeIssuerOptions) => SeIssuer }
>()("tsm-twin/model/world/issuance/SeIssuerParty") {
  static readonly layer = Layer.succeed(SeIssuerParty)(SeIssuerParty.of({ make: SCENARIO_PARTIES.seIssuer }))
}

export class TsmParty extends Context.Service<
  TsmParty,
  { readonly make: (institution: Institution, options: TsmOptions) => PlatformTsm }
>()("tsm-twin/model/world/issuance/TsmParty") {
  static readonly layer = Layer.succeed(TsmParty)(TsmParty.of({ make: SCENARIO_PARTIES.tsm }))
}

/** The parties as the scenario describes them. */
export const SCENARIO_PARTY_LAYERS = Layer.mergeAll(MtpsParty.layer, SeIssuerParty.layer, TsmParty.layer)
