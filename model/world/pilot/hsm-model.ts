/**
 * The 贵州通 TSM's HSM work per issuance, the documented performance assumption behind the HSM
 * pool (CALIBRATION.md §2.2: no public SJJ1212 figures; SM2 sign 2,000-20,000/s, verify
 * 1,000-5,000/s, symmetric 2,000-10,000 commands/s, 0.3-3 ms per command plus ~0.5 ms network).
 * The command counts are those of the issuance the byte-level users really run
 * (model/parties/tsm, model/host/card-story): the TSM signs its order to MTPS and its status
 * report, verifies MTPS's routed answer and the SE issuer's SSD-created receipt (2 + 2 SM2), and
 * asks the HSM for the SSD's three static keys wrapped under the ISD's DEK (PUT KEY), the SSD's
 * SCP session keys (ENC, C-MAC, DEK: 3) and the personalization's DGI 8000 key wrap and its MAC
 * (2): 8 symmetric commands. One HSM works one command at a time, so an issuance holds one HSM
 * for the sum of its command times.
 */
import type { Capacity } from "./pilot-scenario.ts"

export const HSM_COMMANDS_PER_ISSUANCE = { sm2Sign: 2, sm2Verify: 2, symmetric: 8 } as const

/** The HSM time one issuance takes, in µs. */
export const hsmIssuanceUs = (tsm: Capacity["tsm"]): number =>
  HSM_COMMANDS_PER_ISSUANCE.sm2Sign * tsm.hsmSm2SignUs +
  HSM_COMMANDS_PER_ISSUANCE.sm2Verify * tsm.hsmSm2VerifyUs +
  HSM_COMMANDS_PER_ISSUANCE.symmetric * tsm.hsmSymmetricUs

/** Issuances per second the pool can sustain at full utilisation. */
export const hsmIssuancesPerSecond = (tsm: Capacity["tsm"]): number =>
  (tsm.hsmCount * 1_000_000) / hsmIssuanceUs(tsm)
