/**
 * The cardholders of a money run: per bank, `cardsPerBank` NFC-SIM cards personalized by the
 * bank's CMS with real keys, each with a deposit account of 100,000 yuan (assumption: enough for
 * the 20-40 k yuan transfers of CALIBRATION.md §3.1) and 500 yuan of e-cash loaded from it at
 * issuance (the card story's preload). All cards are ordered at the start as one burst; each
 * waits for its bank's CMS HSMs (cms-hsm.ts) and cannot be used before its data is ready, so the
 * burst's backlog is bounded by the HSM count. The optional clone is a second card with the first card's
 * PAN and keys, as a skimmed-and-rewritten card would be.
 */
import type { RecordingCard } from "../../host/card-story/recording-card.ts"
import type { Bank } from "../../parties/bank/bank.ts"
import { panOf } from "../../parties/bank/bank-roster.ts"
import { personalizeCard } from "../../parties/bank/cms.ts"
import { MONEY_SIGNAL } from "../../signals/money-signals.ts"
import type { MoneyOptions, MoneyWorld } from "./money-world.ts"

export const DEPOSIT_FEN = 10_000_000
export const PRELOAD_FEN = 50_000

export interface Holder {
  readonly index: number
  readonly bank: Bank
  readonly pan: string
  readonly account: string
  readonly card: RecordingCard
  /** The e-cash the card last reported (the traffic only uses it to size loads). */
  ecashFen: number
  busyUntilUs: number
}

export const issueHolders = (world: MoneyWorld, options: MoneyOptions): Holder[] => {
  const holders: Holder[] = []
  for (const bank of world.banks.values()) {
    for (let i = 0; i < options.cardsPerBank; i++) {
      const pan = panOf(bank.options.declaration.bin, i + 1)
      holders.push(issueOne(world, options, bank, pan, holders.length, holders.length))
    }
  }
  return holders
}

export const issueOne = (
  world: MoneyWorld,
  options: MoneyOptions,
  bank: Bank,
  pan: string,
  index: number,
  cardSeed: number,
  enrol = true,
): Holder => {
  const account = `cust:${pan}`
  const card = personalizeCard(options.crypto, {
    seed: options.seed * 1_000_003 + cardSeed,
    account: { pan, psn: "01" },
    imks: bank.options.imks,
    ecashFen: PRELOAD_FEN,
  })
  let readyUs = 0
  if (enrol) {
    readyUs = bank.cmsHsm.order(world.port.now())
    if (readyUs < 0)
      throw new Error(`${bank.id}: the CMS's HSM pool refused card ${pan} (never faulted here)`)
    bank.openDeposit(account, DEPOSIT_FEN)
    bank.host.enrol(pan, account)
    bank.mustPost(`preload:${pan}`, [
      { account, deltaFen: -PRELOAD_FEN },
      { account: "ecash-float", deltaFen: PRELOAD_FEN },
    ])
    world.port.emit(MONEY_SIGNAL.ecash, {
      issuer: bank.id,
      pan,
      deltaFen: PRELOAD_FEN,
      balanceAfterFen: PRELOAD_FEN,
      cause: "personalization",
    })
  }
  return { index, bank, pan, account, card, ecashFen: PRELOAD_FEN, busyUntilUs: readyUs }
}
