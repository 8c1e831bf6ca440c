/**
 * What the population's events do in the pilot world (pilot-world.ts): a transaction goes to the
 * parties' payments once the user's card is issued; 挂失 hot-lists the card and starts a lock
 * order, the 补卡 decision a reissue (or a closure), 销户 a close order, and a SIM swap a
 * `sim-swap` order that re-issues the card onto the new SIM (issuance-flows.ts). Each user's
 * flags live in the world's typed array `userFlags` (no object per user).
 */
import type { PopulationEvent } from "../../population/population-run.ts"
import { PendingEvent } from "../../population/population-state.ts"
import type { PilotWorld } from "./pilot-world.ts"

/** A user's flags in `PilotWorld.userFlags`: card issued and held, byte-level, through 贵州通. */
export const Flag = { issued: 1, byteLevel: 2, gzt: 4 } as const

export const onPopulationEvent = (w: PilotWorld, ev: Readonly<PopulationEvent>, now: number): void => {
  const user = ev.user
  const flags = w.userFlags[user]!
  if (ev.kind === PendingEvent.transaction) {
    transact(w, ev, now, flags)
    return
  }
  const gzt = (flags & Flag.gzt) !== 0
  if (ev.kind === PendingEvent.reissueDue) {
    if (ev.reissued) {
      w.flows.countReissue()
      w.flows.start(user, "reissue", gzt)
    } else {
      // 销户 after a loss without 补卡: the lost phone's SE is retired by its issuer.
      w.totals.closures++
      w.flows.close(user, gzt, true)
    }
    return
  }
  if (ev.kind === PendingEvent.simSwap) return void simSwap(w, user, flags)
  // 挂失 (the bank hot-lists the card) or 销户: the card stops working at once (the lock order's
  // OTA lock follows).
  if (ev.kind === PendingEvent.loss) {
    w.totals.losses++
    w.payments.hotList(user)
  } else w.totals.closures++
  dropCard(w, user, flags)
  if (ev.kind === PendingEvent.loss) w.flows.lock(user, gzt)
  else w.flows.close(user, gzt, false)
}

/** The user's card stops working now: no longer held (cards active), a byte-level card dropped. */
const dropCard = (w: PilotWorld, user: number, flags: number): void => {
  if ((flags & Flag.issued) !== 0) {
    w.userFlags[user] = flags & ~Flag.issued
    w.totals.cardsHeldCounted--
  }
  if ((flags & Flag.byteLevel) !== 0) w.cards.forget(user)
}

/**
 * A SIM swap at the operator's store: the old UICC leaves the phone with the card on it, so the
 * user has no card until the sim-swap order has made it on the new SIM (payments meanwhile count
 * as before a card). The card keeps its PAN and account: the account's deposit and e-cash stay
 * with the user at the bank (payments/user-accounts.ts), as scenario 02's workbench personalizes
 * the new SIM's card with the balance the TSM knows; the issuer's host enrols the new card (a
 * fresh ATC) when it is issued. A swap while the card is being made or locked starts no order.
 */
const simSwap = (w: PilotWorld, user: number, flags: number): void => {
  const gzt = (flags & Flag.gzt) !== 0
  if (w.flows.simSwappable(user)) dropCard(w, user, flags)
  w.flows.simSwap(user, gzt)
}

/**
 * A transaction counts (transactions and value KPIs) only when the parties approve it
 * (payments/pilot-payments.ts); a declined one is a failed one. After 挂失 the attempts reach the
 * issuer, which declines them as hot-listed until 补卡 issues a new card.
 */
const transact = (w: PilotWorld, ev: Readonly<PopulationEvent>, now: number, flags: number): void => {
  if ((flags & Flag.issued) === 0 && !w.payments.isHotListed(ev.user)) {
    w.totals.transactionsBeforeCard++
    return
  }
  const byteLevel = (flags & Flag.byteLevel) !== 0
  if (!w.payments.transact(ev.user, ev.mixIndex, ev.transactionKind!, ev.amountFen, now, byteLevel)) {
    w.totals.transactionsFailed++
    return
  }
  w.totals.transactions++
  w.totals.valueFen += ev.amountFen
}
