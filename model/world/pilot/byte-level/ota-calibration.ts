/**
 * What a byte-level issuance costs over the air on average, per SE cell and over the population's
 * adopters (ota-issuance.ts `seCellShares`): the figure the background's round-trip count
 * (`capacity.telcoOta.apdusPerIssuance`, card-time.ts `BACKGROUND_APDUS_PER_ISSUANCE`) is fitted
 * to, printed by `npm run bench:issuance` and held by a test. Each cell's cards are real (the users
 * of that SE type and telco, first by index, issued by ByteLevelCards); a card's figure is its
 * expected time — the middle of each step's bearer range plus its SE time — so a few cards per cell
 * give the cell's mean without the draw's scatter.
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import type { OtaBearerName } from "../../../parties/ota/ota-bearer.ts"
import type { PopulationParams, SeType, TelcoId } from "../../../population/population-params.ts"
import { drawUserInto, emptyDraws, seTypeOf, telcoOf } from "../../../population/user.ts"
import { ByteLevelCards } from "../byte-level-cards.ts"
import { ISSUANCE_OTA_STEPS, otaBearerOf, seCellShares } from "./ota-issuance.ts"

export interface CellFigures {
  readonly seType: SeType
  readonly telco: TelcoId
  readonly bearer: OtaBearerName
  readonly share: number
  readonly cards: number
  /** Expected issuance time, and the create-ssd step's part of it. */
  readonly meanUs: number
  readonly createSsdShare: number
  readonly packets: number
  readonly packetBytes: number
}

/** Users scanned at most per cell before giving up (a cell of share 0 has none). */
const SCAN_USERS_MAX = 200_000

export const otaIssuanceFigures = (
  crypto: Crypto,
  population: PopulationParams,
  seed: number,
  cardsPerCell: number,
): { cells: CellFigures[]; meanUs: number; createSsdShare: number } => {
  const cards = new ByteLevelCards(crypto, seed, { population })
  const draws = emptyDraws()
  const cells = seCellShares(population).map((cell): CellFigures => {
    let total = 0
    let create = 0
    let packets = 0
    let packetBytes = 0
    let n = 0
    for (let u = 0; u < Math.min(SCAN_USERS_MAX, population.market.marketUsers) && n < cardsPerCell; u++) {
      const d = drawUserInto(seed, u, draws)
      if (seTypeOf(population, d) !== cell.seType) continue
      if (cell.seType === "NFC-SIM" && telcoOf(population, d) !== cell.telco) continue
      const work = cards.issue(u, 0)
      if (!work.ok || work.ota === undefined) throw new Error(`user ${u}: ${work.reason}`)
      for (const s of ISSUANCE_OTA_STEPS) {
        const t = work.ota.steps[s].bearerUsMean + work.ota.steps[s].seUs
        total += t
        if (s === "create-ssd") create += t
      }
      packets += work.ota.packets
      packetBytes += work.ota.packetBytes
      n++
    }
    const of = Math.max(1, n)
    return {
      ...cell,
      bearer: otaBearerOf(cell.seType, cell.telco),
      cards: n,
      meanUs: total / of,
      createSsdShare: total === 0 ? 0 : create / total,
      packets: packets / of,
      packetBytes: packetBytes / of,
    }
  })
  const meanUs = cells.reduce((m, c) => m + c.share * c.meanUs, 0)
  const createUs = cells.reduce((m, c) => m + c.share * c.meanUs * c.createSsdShare, 0)
  return { cells, meanUs, createSsdShare: createUs / meanUs }
}
