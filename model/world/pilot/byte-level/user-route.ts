/**
 * Who a byte-level user is to the issuance chain (issue 12 item 3): the SE profile and telco from
 * the population (byte-level-cards.ts issues the card on the user's own SE), the home bank with
 * its BIN, and the institutions its order passes — bank → TSM → MTPS → SE issuer
 * (envelope-chain.ts) — plus the 8-byte SE id the envelopes name.
 */
import { toHex } from "../../../bytes/hex.ts"
import { PILOT_BANKS } from "../../../parties/bank/bank-roster.ts"
import type { PopulationParams, SeType, TelcoId } from "../../../population/population-params.ts"
import { drawUserInto, homeBankOf, seTypeOf, telcoOf, type UserDraws } from "../../../population/user.ts"
import type { ChainRoute } from "./envelope-chain.ts"

export interface UserRoute {
  readonly seType: SeType
  readonly telco: TelcoId
  readonly bankId: string
  readonly bin: string
  readonly route: ChainRoute
}

const SIM_ISSUERS = { cmcc: "cmcc-tsm", cucc: "cucc-tsm", ctcc: "ctc-tsm" } as const
const LOCAL_BANK_IDS: Readonly<Record<string, string>> = {
  GYB: "gyb-bank",
  GZB: "gzb-bank",
  GYRCB: "gyrcb-bank",
}
const TWO_32 = 4294967296

/** The user's route; campaign users (beyond the market) and worlds without a population: a local bank's NFC-SIM. */
export const userRouteOf = (
  p: PopulationParams | null,
  seed: number,
  user: number,
  draws: UserDraws,
): UserRoute => {
  const inMarket = p !== null && user < p.market.marketUsers
  const d = inMarket ? drawUserInto(seed, user, draws) : null
  const seType: SeType = d === null ? "NFC-SIM" : seTypeOf(p!, d)
  const telco: TelcoId = d === null ? "cmcc" : telcoOf(p!, d)
  const bankId = d === null ? "GYB" : homeBankOf(p!, d).bankId
  const bank = PILOT_BANKS.find((b) => b.id === bankId) ?? PILOT_BANKS[0]!
  const seIssuer = seType === "NFC-SIM" ? SIM_ISSUERS[telco] : seType === "NFC-SD" ? "nfcsd-tsm" : "ese-tsm"
  const route = { bank: LOCAL_BANK_IDS[bank.id] ?? bank.issuanceTsm, tsm: bank.issuanceTsm, seIssuer }
  return { seType, telco, bankId: bank.id, bin: bank.bin, route }
}

/** An 8-byte SE id for the envelopes: the user and the card's generation (one SE per 补卡). */
export const seIdOf = (user: number, generation: number): string =>
  toHex(
    Uint8Array.of(
      0x47,
      0x59,
      generation & 0xff,
      (user / TWO_32) & 0xff,
      user >>> 24,
      user >>> 16,
      user >>> 8,
      user,
    ),
  )
