/**
 * The pilot's per-transaction money path (model/world/pilot/payments/), alone: the decisions of
 * one transaction (route, switch and host capacity, decideAuthorization, legs, clearing tallies)
 * in ns per transaction, next to its peer in the same process — the server-pool reservations
 * alone, which is what the pilot did per transaction before the parties decided — and the daily
 * clearing cycle's cost. 35 M transactions at 1× times the difference is what the parties add to
 * a full run. Prints figures; asserts nothing.
 */
import { PILOT_PLAN } from "../model/population/pilot-calibrations.ts"
import { PartyDecisions } from "../model/world/pilot/party-decisions.ts"
import { PilotPayments } from "../model/world/pilot/payments/pilot-payments.ts"
import { FAITHFUL_PARTIES } from "../model/world/pilot/pilot-party-layers.ts"
import { ServerPool } from "../model/world/pilot/server-pool.ts"
import { printLine } from "./measure.ts"

const USERS = Number(process.env.PAYMENTS_USERS ?? 1_000_000)
const TRANSACTIONS = 2_000_000
const US_PER_DAY = 86_400_000_000
const PER_DAY = 20_000

const build = () => {
  const bankHost = new ServerPool("bank-host", 64)
  const unionpaySwitch = new ServerPool("unionpay-switch", 64)
  const payments = new PilotPayments({
    population: PILOT_PLAN,
    users: USERS,
    decisions: new PartyDecisions(),
    bankHost,
    unionpaySwitch,
    serviceUs: { bankHost: 20_000, unionpaySwitch: 5_000 },
    timeoutUs: 30_000_000,
    activity: new Float32Array(USERS).fill(1),
    userTransactions: new Uint32Array(USERS),
    emit: () => {},
    cardWork: () => ({ ok: true, cardUs: 0, reason: "" }),
    parties: FAITHFUL_PARTIES,
  })
  const banks = PILOT_PLAN.market.homeBanks.length
  for (let u = 0; u < USERS; u++) {
    payments.adopt(u, u % banks)
    payments.enrol(u, 0)
  }
  return { payments, bankHost, unionpaySwitch }
}

/** A fixed sequence of (user, mix index, amount): the population's draws are not what is timed. */
const workload = () => {
  const mix = PILOT_PLAN.behaviour.mix
  const users = new Int32Array(TRANSACTIONS)
  const kinds = new Uint8Array(TRANSACTIONS)
  const amounts = new Float64Array(TRANSACTIONS)
  let x = 12345
  for (let i = 0; i < TRANSACTIONS; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    users[i] = x % USERS
    kinds[i] = (x >>> 8) % mix.length
    amounts[i] = Math.min(mix[kinds[i]!]!.amountFenMax, mix[kinds[i]!]!.amountFenMedian)
  }
  return { users, kinds, amounts }
}

/** CPU seconds of `run` (user + system): on a shared, loaded machine wall time mostly measures the others. */
const timeIt = (run: () => void): number => {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

const main = (): void => {
  const w = workload()
  const mix = PILOT_PLAN.behaviour.mix
  for (let round = 0; round < 2; round++) {
    const peer = build()
    const peerS = timeIt(() => {
      for (let i = 0; i < TRANSACTIONS; i++) {
        const at = Math.floor(i / PER_DAY) * US_PER_DAY + (i % PER_DAY) * 4_000_000
        if (i % 3 === 0) peer.unionpaySwitch.reserve(at, 5_000, 30_000_000)
        peer.bankHost.reserve(at, 20_000, 30_000_000)
      }
    })
    const p = build()
    let cycleS = 0
    const pathS = timeIt(() => {
      for (let i = 0; i < TRANSACTIONS; i++) {
        if (i > 0 && i % PER_DAY === 0) cycleS += timeIt(() => p.payments.closeDay(i / PER_DAY))
        const at = Math.floor(i / PER_DAY) * US_PER_DAY + (i % PER_DAY) * 4_000_000
        const k = w.kinds[i]!
        p.payments.transact(w.users[i]!, k, mix[k]!.kind, w.amounts[i]!, at, false)
      }
    })
    printLine({
      bench: "payments",
      round,
      transactions: TRANSACTIONS,
      nsPerTransaction: Math.round(((pathS - cycleS) * 1e9) / TRANSACTIONS),
      peerPoolsOnlyNsPerTransaction: Math.round((peerS * 1e9) / TRANSACTIONS),
      clearingCycleUs: Math.round((cycleS * 1e6) / (TRANSACTIONS / PER_DAY - 1)),
      addedSecondsAt1x: Math.round(((pathS - cycleS - peerS) * 35e6) / TRANSACTIONS),
    })
  }
}

main()
