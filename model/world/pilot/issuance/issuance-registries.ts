/**
 * The three registries of the pilot's issuance network as typed arrays, one slot per user (market
 * users, then campaign users beyond the market): what the TSM (贵州通 or the bank's SP-TSM) believes
 * each user's card is, what MTPS's registry records ((SE, app) → SP and state), and what the SE
 * issuer's SE registry says is on the SE. Each party writes only its own array, from its own
 * decision (issue 12 item 2; net-common rule 2: no object per user); the issuance auditor
 * (issuance-auditor.ts) recounts them against each other.
 *
 * A slot holds the user's current SE: a 补卡 (reissue) puts the card on a new SE, and the old SE's
 * entries leave with it (the telco retires the old UICC when it issues the new one, so nothing
 * runs on it), which is why one state per slot and party is enough for it. A SIM swap keeps the
 * old SE's entries beside the new one's while its order runs (the old SE leaves MTPS's registry
 * in the order's last step, deregister-old), so the SE issuer's and MTPS's registries keep the
 * user's previous SE too (`oldSe`, `oldMtps`; its SE id is `oldSeIdOf(slot)`), which the auditor
 * checks was retired.
 */
import type { PopulationParams, SeType, TelcoId } from "../../../population/population-params.ts"
import { drawUserInto, emptyDraws, seTypeOf, telcoOf } from "../../../population/user.ts"

/** An application's state in a registry (lifecycle-messages.ts REGISTRY_STATES, plus none). */
export const Reg = { none: 0, ssdCreated: 1, personalized: 2, active: 3, locked: 4, deleted: 5 } as const
export type Reg = (typeof Reg)[keyof typeof Reg]

/** REGISTRY_STATES by code: what a RegistryUpdate carries for each registry state. */
export const REG_NAMES = ["none", "ssd-created", "personalized", "active", "locked", "deleted"] as const

export const regOfName = (name: string): Reg => {
  const i = REG_NAMES.indexOf(name as (typeof REG_NAMES)[number])
  return (i < 0 ? Reg.none : i) as Reg
}

/**
 * The SE issuers: the three telcos for NFC-SIMs, an NFC-SD issuer and the handset makers' TSM for
 * embedded SEs (DESIGN.md §1). Index = the code stored per slot (0 = no SE known yet).
 */
export const SE_ISSUERS = ["", "cmcc-tsm", "cucc-tsm", "ctcc-tsm", "nfc-sd-tsm", "ese-tsm"] as const

const issuerCode = (seType: SeType, telco: TelcoId): number =>
  seType === "NFC-SIM" ? (telco === "cmcc" ? 1 : telco === "cucc" ? 2 : 3) : seType === "NFC-SD" ? 4 : 5

/** The service providers registered at MTPS: the 贵州通 TSM (local banks) or a bank's SP-TSM. */
export const SPS = ["", "gzt-tsm", "sp-tsm"] as const
export const Sp = { none: 0, gzt: 1, spTsm: 2 } as const

/** The last lifecycle order that completed on a slot; the auditor checks it reached the SE. */
export const Life = { none: 0, locked: 1, closed: 2, lockFailed: 3, closeFailed: 4 } as const

export class IssuanceRegistries {
  /** SE → its issuer (SE_ISSUERS index), from the user's SE type and telco. */
  readonly seIssuer: Uint8Array
  readonly tsm: Uint8Array
  readonly mtps: Uint8Array
  readonly mtpsSp: Uint8Array
  readonly se: Uint8Array
  /** What the SE issuer's registry says is on the user's previous SE (the UICC a SIM swap replaced). */
  readonly oldSe: Uint8Array
  /** MTPS's registry entry for the user's previous SE. */
  readonly oldMtps: Uint8Array
  /** Issuing orders (issue, reissue, sim-swap) that completed on the slot. */
  readonly issued: Uint8Array
  /** The slot's card generation (0 = first card; each 补卡 or SIM swap adds one). */
  readonly generation: Uint8Array
  /** Orders in flight on the slot. */
  readonly inFlight: Uint8Array
  /** Issuing orders in flight on the slot (two at once would be a double issuance). */
  readonly issuing: Uint8Array
  readonly life: Uint8Array

  constructor(
    readonly slots: number,
    private readonly population: PopulationParams,
    private readonly seed: number,
  ) {
    this.seIssuer = new Uint8Array(slots)
    this.tsm = new Uint8Array(slots)
    this.mtps = new Uint8Array(slots)
    this.mtpsSp = new Uint8Array(slots)
    this.se = new Uint8Array(slots)
    this.oldSe = new Uint8Array(slots)
    this.oldMtps = new Uint8Array(slots)
    this.issued = new Uint8Array(slots)
    this.generation = new Uint8Array(slots)
    this.inFlight = new Uint8Array(slots)
    this.issuing = new Uint8Array(slots)
    this.life = new Uint8Array(slots)
  }

  private readonly draws = emptyDraws()

  /**
   * A SIM swap put the user's number on a new UICC: the SE issuer's and MTPS's entries of the card
   * become the previous SE's, and the current SE (the new UICC) holds nothing yet, nor does the
   * TSM's record of the card on it.
   */
  swapSe(slot: number): void {
    this.oldSe[slot] = this.se[slot]!
    this.oldMtps[slot] = this.mtps[slot]!
    this.se[slot] = Reg.none
    this.mtps[slot] = Reg.none
    this.tsm[slot] = Reg.none
  }

  /** The SE the user's phone carries, with its issuer (MTPS learns SE ↔ issuer when the SE is made). */
  enrolSe(slot: number): void {
    if (this.seIssuer[slot] !== 0) return
    const d = drawUserInto(this.seed, slot, this.draws)
    this.seIssuer[slot] = issuerCode(seTypeOf(this.population, d), telcoOf(this.population, d))
  }
}

/** SE ids as MTPS sees them: 8 bytes of hex, the slot number (messages.ts seId field). */
export const seIdOf = (slot: number): string => slot.toString(16).toUpperCase().padStart(16, "0")

/** Marks the previous SE's id (slots stay far below it: at most 2^32 users). */
const OLD_SE = 2 ** 40

/** The user's previous SE (the UICC a SIM swap replaced), as MTPS and the SE issuer name it. */
export const oldSeIdOf = (slot: number): string => seIdOf(OLD_SE + slot)

export const isOldSeId = (seId: string): boolean => Number.parseInt(seId, 16) >= OLD_SE

export const slotOfSeId = (seId: string): number => Number.parseInt(seId, 16) % OLD_SE

/** The SP's SSD AID and the card's instance AID on every pilot SE (the PBOC applet's RID A000000333). */
export const SSD_AID = "A000000333535344"
export const CARD_AID = "A0000003330101"
