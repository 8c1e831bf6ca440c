/**
 * The capacity of a bank CMS's HSMs (DESIGN.md §4 "Simulated time of a crypto operation comes from
 * the party's HSM performance model"): personalization data preparation asks the bank's HSM for
 * the card's three ICC master keys derived from the issuer master keys (MK-AC, MK-SMI, MK-SMC;
 * EMV 4.3 Book 2 §A1.4, model/host/issuer/issuer-keys.ts) and for the key block that carries them
 * to the card, encrypted under the transport key for DGI 8000: four symmetric commands per card.
 * The secure-channel and SSD work belongs to the TSM's HSM (model/world/pilot/hsm-model.ts counts it
 * there), so it is not counted twice. One HSM works one command at a time, so a card holds one
 * HSM for the sum of its command times, and a burst of orders drains at `hsmCount` cards per
 * card-time: throughput is bounded by the HSM count.
 *
 * Command time: CALIBRATION.md §2.2 gives no SJJ1212 figure; its assumption for symmetric
 * commands is 2,000-10,000/s, 0.3-3 ms each with the network. The twin uses 400 µs, the same value
 * as the pilot scenarios' `hsmSymmetricUs` (scenarios/04-pilot-plan.json), so both HSM models
 * agree.
 */

/** Symmetric HSM commands per card personalization (three derivations, one key-block encryption). */
export const CMS_HSM_COMMANDS_PER_CARD = 4
/** Time of one symmetric HSM command (assumption above). */
export const CMS_HSM_SYMMETRIC_US = 400

/**
 * A pool of identical servers the CMS reserves HSM time on; model/world/pilot/server-pool.ts's
 * ServerPool is the implementation (Lindley recursion, FIFO). Returns the completion instant, or
 * −1 when the pool refuses (down, or the wait would exceed `timeoutUs`).
 */
export interface HsmPool {
  readonly servers: number
  reserve(arrivalUs: number, serviceUs: number, timeoutUs: number): number
}

/** A CMS order never gives up waiting for its HSM: issuance campaigns queue (STYLE.md rule 3 bound). */
const ORDER_WAIT_US_MAX = 30 * 86_400_000_000

export class CmsHsm {
  /** Cards personalized, and the latest completion instant (the backlog's end). */
  cards = 0
  lastReadyUs = 0

  constructor(
    readonly bank: string,
    private readonly pool: HsmPool,
    readonly symmetricUs: number = CMS_HSM_SYMMETRIC_US,
  ) {
    if (!(Number.isSafeInteger(symmetricUs) && symmetricUs > 0))
      throw new RangeError(`symmetricUs ${symmetricUs}`)
  }

  /** HSM time one card's personalization holds. */
  get cardUs(): number {
    return CMS_HSM_COMMANDS_PER_CARD * this.symmetricUs
  }

  /**
   * Reserves one card's HSM work for an order arriving at `arrivalUs`; returns when its data is
   * ready, or −1 when the pool refuses it (down, or a month behind): an operating outcome.
   */
  order(arrivalUs: number): number {
    const readyUs = this.pool.reserve(arrivalUs, this.cardUs, ORDER_WAIT_US_MAX)
    if (readyUs < 0) return -1
    this.cards++
    if (readyUs > this.lastReadyUs) this.lastReadyUs = readyUs
    return readyUs
  }
}
