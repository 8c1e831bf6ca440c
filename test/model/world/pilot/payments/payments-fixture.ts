/**
 * A small payments world for the money tests: the pilot plan's population and banks, a handful of
 * users with issued cards, real server pools and decision counters, and a byte-level hook whose
 * verdict the test sets (net-bytes makes the real one; here only its effect on the flow is tested).
 */
import { PILOT_PLAN } from "../../../../../model/population/pilot-calibrations.ts"
import type { TransactionKind } from "../../../../../model/population/population-params.ts"
import type { CardWork } from "../../../../../model/world/pilot/byte-level-cards.ts"
import { PartyDecisions } from "../../../../../model/world/pilot/party-decisions.ts"
import { PilotPayments } from "../../../../../model/world/pilot/payments/pilot-payments.ts"
import { FAITHFUL_PARTIES } from "../../../../../model/world/pilot/pilot-party-layers.ts"
import { ServerPool } from "../../../../../model/world/pilot/server-pool.ts"

export const US_PER_DAY = 86_400_000_000
export const USERS = 64

export const mixIndexOf = (kind: TransactionKind): number =>
  PILOT_PLAN.behaviour.mix.findIndex((k) => k.kind === kind)

export interface Fixture {
  readonly payments: PilotPayments
  readonly decisions: PartyDecisions
  readonly bankHost: ServerPool
  readonly unionpaySwitch: ServerPool
  readonly userTransactions: Uint32Array
  /** What the byte-level card answers next. */
  card: CardWork
}

export const fixture = (): Fixture => {
  const decisions = new PartyDecisions()
  const bankHost = new ServerPool("bank-host", 4)
  const unionpaySwitch = new ServerPool("unionpay-switch", 4)
  const userTransactions = new Uint32Array(USERS)
  const f: Fixture = {
    payments: null as unknown as PilotPayments,
    decisions,
    bankHost,
    unionpaySwitch,
    userTransactions,
    card: { ok: true, cardUs: 0, reason: "" },
  }
  const payments = new PilotPayments({
    population: PILOT_PLAN,
    users: USERS,
    decisions,
    bankHost,
    unionpaySwitch,
    serviceUs: { bankHost: 10_000, unionpaySwitch: 5_000 },
    timeoutUs: 30_000_000,
    activity: new Float32Array(USERS).fill(1),
    userTransactions,
    emit: () => {},
    cardWork: () => f.card,
    parties: FAITHFUL_PARTIES,
  })
  Object.assign(f, { payments })
  for (let u = 0; u < USERS; u++) {
    payments.adopt(u, u % PILOT_PLAN.market.homeBanks.length)
    payments.enrol(u, 0)
  }
  return f
}

/** Moves the user's payment count until its receiving bank is (or is not) its own bank. */
export const steerReceiver = (f: Fixture, user: number, interbank: boolean): number => {
  const own = f.payments.accounts.bankOf(user)
  for (let n = 0; n < 10_000; n++) {
    f.userTransactions[user] = n
    if ((f.payments.receiverOf(user) !== own) === interbank) return f.payments.receiverOf(user)
  }
  throw new Error("no such receiver")
}

/** One transaction at `atUs` (the user's count moves on like the population's). */
export const pay = (
  f: Fixture,
  user: number,
  kind: TransactionKind,
  amountFen: number,
  atUs: number,
  byteLevel = false,
): boolean => f.payments.transact(user, mixIndexOf(kind), kind, amountFen, atUs, byteLevel)

export const errorsOf = (f: Fixture, party: string): Readonly<Record<string, number>> =>
  f.decisions.record()[party]?.errors ?? {}
export const decisionsOf = (f: Fixture, party: string): Readonly<Record<string, number>> =>
  f.decisions.record()[party]?.decisions ?? {}

/** Closes day 1 … `days` and runs the end checks; the audit's violations. */
export const closeAndAudit = (f: Fixture, days: number): ReadonlyArray<string> => {
  const p = f.payments
  for (let d = p.cycles + 1; d <= days; d++) p.closeDay(d)
  p.audit.checkEnd({ books: p.books, cyclesByDay: p.cyclesByDay, days, itemsToClear: p.itemsToClear })
  return p.audit.violations
}
