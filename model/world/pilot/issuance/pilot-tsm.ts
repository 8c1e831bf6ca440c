/**
 * The 贵州通 TSM's resources and its order policy in the pilot: order servers, the HSM pool and the
 * OTA sessions it holds open, each a pool of servers the TSM owns (net-common rule 3), and the
 * RetryPolicy its order machine (model/parties/tsm/order-machine.ts) runs every order with, taken
 * from the scenario's capacity knobs. National banks' SP-TSMs run the same machine with the same
 * policy on their own systems (their capacity is outside the pilot's model: a fixed handling time).
 *
 * HSM work per step: the issuance's commands (hsm-model.ts: 2 SM2 signs, 2 SM2 verifies, 8
 * symmetric) split over its steps as the steps use them — create-ssd signs the order to MTPS,
 * verifies the issuer's receipt and wraps the SSD keys (3 symmetric); personalize derives the
 * SSD's session keys, wraps DGI 8000 and MACs (5 symmetric); register signs the registry update
 * and verifies MTPS's acknowledgement. A lifecycle step signs its request, verifies the answer and
 * MACs its script (1 symmetric).
 */
import type { RetryPolicy, StepName } from "../../../parties/tsm/order-machine.ts"
import { PILOT_NETWORK } from "../../network.ts"
import type { Capacity } from "../pilot-scenario.ts"
import { ServerPool } from "../server-pool.ts"

/**
 * create-ssd's share of an issuance's OTA round trips: fitted to the byte-level issuance, whose
 * ISD script (secure channel, INSTALL of the SSD, PUT KEY, the PBOC load file) takes 0.484 of its
 * time over the adopters' bearer mix (`npm run bench:issuance`, byte-level/ota-calibration.ts).
 */
export const CREATE_SSD_APDU_SHARE = 0.48
/** A lifecycle script over OTA: the SSD's secure-channel opening (2) plus its command(s). */
export const LIFECYCLE_APDUS = 4
/** The SP-TSM's own handling time for a national bank's order step (outside the pilot's capacities). */
export const SP_TSM_SERVICE_US = 200_000

export const OTA_STEPS: ReadonlySet<StepName> = new Set([
  "create-ssd",
  "personalize",
  "ota-lock",
  "delete-app",
  "delete-ssd",
])

export class PilotTsm {
  readonly orders: ServerPool
  readonly hsm: ServerPool
  readonly otaSessions: ServerPool
  readonly policy: RetryPolicy
  private readonly hsmUsByStep: Readonly<Record<StepName, number>>
  private readonly apdusByStep: Readonly<Record<StepName, number>>

  constructor(readonly capacity: Capacity) {
    const tsm = capacity.tsm
    const ota = capacity.telcoOta
    this.orders = new ServerPool(PILOT_NETWORK.tsmOrders.id, tsm.orderServers)
    this.hsm = new ServerPool(PILOT_NETWORK.tsmHsm.id, tsm.hsmCount)
    this.otaSessions = new ServerPool(PILOT_NETWORK.tsmOtaSessions.id, tsm.otaSessionsMax)
    const signVerify = tsm.hsmSm2SignUs + tsm.hsmSm2VerifyUs
    const lifecycle = signVerify + tsm.hsmSymmetricUs
    this.hsmUsByStep = {
      wait: 0,
      "create-ssd": signVerify + 3 * tsm.hsmSymmetricUs,
      personalize: 5 * tsm.hsmSymmetricUs,
      register: signVerify,
      "hot-list": 0,
      "ota-lock": lifecycle,
      "delete-app": lifecycle,
      "delete-ssd": lifecycle,
      deregister: signVerify,
      "deregister-old": signVerify,
      refund: 0,
    }
    const create = Math.max(1, Math.round(ota.apdusPerIssuance * CREATE_SSD_APDU_SHARE))
    this.apdusByStep = {
      ...this.hsmUsByStep,
      wait: 0,
      "create-ssd": create,
      personalize: Math.max(1, ota.apdusPerIssuance - create),
      register: 0,
      "hot-list": 0,
      "ota-lock": LIFECYCLE_APDUS,
      "delete-app": LIFECYCLE_APDUS,
      "delete-ssd": LIFECYCLE_APDUS,
      deregister: 0,
      "deregister-old": 0,
      refund: 0,
    }
    // A step may take its OTA at the slowest round trip twice over plus two hops through MTPS.
    const timeouts = {} as Record<StepName, number>
    for (const step of Object.keys(this.apdusByStep) as StepName[])
      timeouts[step] =
        2 * this.apdusByStep[step] * ota.apduRoundTripUsMax +
        2 * capacity.mtps.serviceUs +
        capacity.transactionTimeoutUs
    this.policy = {
      attemptsMax: ota.attemptsMax,
      backoffUsBase: ota.retryAfterUs,
      // Doubling up to 16 × the base: three attempts span ~30 min, compensation's six ~5 h.
      backoffUsMax: 16 * ota.retryAfterUs,
      timeoutUs: (step) => timeouts[step],
    }
  }

  /** HSM time the step's commands take on one HSM. */
  hsmUs(step: StepName): number {
    return this.hsmUsByStep[step]
  }

  /** APDUs the step sends over the air (0: no OTA). */
  apdus(step: StepName): number {
    return this.apdusByStep[step]
  }
}
