/**
 * The issuance auditor (issue 12 item 7): recomputes from the parties' own state — the three
 * registries' typed arrays and the orders in flight — what must hold, never from the running
 * counters alone:
 * - `issuance-registries-agree`: for every user with no order in flight, the TSM's registry, MTPS's
 *   registry and the SE issuer's SE registry say the same of the card (none and deleted are both
 *   "no card");
 * - `no-double-issuance`: at most one issuing order in flight per user at a time, and no more
 *   issuances done on a user than its generations (one card, plus one per 补卡);
 * - `orders-terminal-or-in-flight`: every order started is terminal or still in flight, and the
 *   per-user in-flight counts add up to the orders in flight (none lost);
 * - `lock-close-reached-se`: every 挂失 lock and 销户 close that ended left its mark on the SE and
 *   at MTPS (locked; deleted); a lock or close that failed is a violation (a lost phone's card
 *   would still work offline). Such orders retry while their failures are retryable
 *   (order-machine.ts PERSISTENT_KINDS), so one fails only on a refusal or after four weeks of
 *   trying; one still pending is in flight and checked once it ends;
 * - `sim-swap-old-se-retired`: every user whose card a SIM swap moved, with no order in flight,
 *   has nothing left on the replaced UICC in the SE issuer's registry and no entry for it at MTPS
 *   (the old card can neither be managed nor found there); the card on the new SIM is checked by
 *   `issuance-registries-agree` like any other.
 */
import type { IssuanceFlows } from "../issuance-flows.ts"
import { Life, Reg } from "./issuance-registries.ts"

export interface AuditResult {
  readonly name: string
  readonly checks: number
  readonly violations: number
  /** The first few violations, readable. */
  readonly problems: ReadonlyArray<string>
}

const PROBLEMS_MAX = 5

const card = (state: number): number => (state === Reg.deleted ? Reg.none : state)

class Tally {
  checks = 0
  violations = 0
  readonly problems: string[] = []
  constructor(readonly name: string) {}
  check(ok: boolean, problem: () => string): void {
    this.checks++
    if (ok) return
    this.violations++
    if (this.problems.length < PROBLEMS_MAX) this.problems.push(problem())
  }
}

const registriesAgree = (f: IssuanceFlows): Tally => {
  const r = f.registries
  const t = new Tally("issuance-registries-agree")
  for (let u = 0; u < r.slots; u++) {
    if (r.inFlight[u] !== 0) continue
    const tsm = card(r.tsm[u]!)
    const mtps = card(r.mtps[u]!)
    const se = card(r.se[u]!)
    if (tsm === Reg.none && mtps === Reg.none && se === Reg.none) continue
    t.check(tsm === mtps && mtps === se, () => `user ${u}: TSM ${tsm}, MTPS ${mtps}, SE ${se}`)
  }
  return t
}

const noDoubleIssuance = (f: IssuanceFlows): Tally => {
  const r = f.registries
  const t = new Tally("no-double-issuance")
  t.check(f.doubleStarts === 0, () => `${f.doubleStarts} issuing orders started beside one in flight`)
  for (let u = 0; u < r.slots; u++) {
    if (r.issued[u] === 0) continue
    t.check(
      r.issued[u]! <= r.generation[u]! + 1,
      () => `user ${u}: ${r.issued[u]} cards issued for ${r.generation[u]! + 1} generation(s)`,
    )
  }
  return t
}

const ordersAccounted = (f: IssuanceFlows): Tally => {
  const r = f.registries
  const t = new Tally("orders-terminal-or-in-flight")
  const e = f.ended
  const live = f.inFlightOrders.size
  t.check(
    f.ordersStarted === e.done + e.failed + e.compensated + live,
    () =>
      `started ${f.ordersStarted} ≠ done ${e.done} + failed ${e.failed} + compensated ${e.compensated} + in flight ${live}`,
  )
  let perUser = 0
  for (let u = 0; u < r.slots; u++) perUser += r.inFlight[u]!
  t.check(perUser === live, () => `users' orders in flight ${perUser} ≠ orders in flight ${live}`)
  t.check(
    f.started === f.issued + f.abandoned + f.inFlight,
    () =>
      `issuances started ${f.started} ≠ issued ${f.issued} + abandoned ${f.abandoned} + in flight ${f.inFlight}`,
  )
  return t
}

const lifecycleReachedSe = (f: IssuanceFlows): Tally => {
  const r = f.registries
  const t = new Tally("lock-close-reached-se")
  for (let u = 0; u < r.slots; u++) {
    const life = r.life[u]!
    if (life === Life.none || r.inFlight[u] !== 0) continue
    if (life === Life.locked)
      t.check(
        r.se[u] === Reg.locked && r.mtps[u] === Reg.locked,
        () => `user ${u}: locked, but SE ${r.se[u]}, MTPS ${r.mtps[u]}`,
      )
    else if (life === Life.closed)
      t.check(
        card(r.se[u]!) === Reg.none && card(r.mtps[u]!) === Reg.none,
        () => `user ${u}: closed, but SE ${r.se[u]}, MTPS ${r.mtps[u]}`,
      )
    else t.check(false, () => `user ${u}: a ${life === Life.lockFailed ? "lock" : "close"} order failed`)
  }
  return t
}

const swappedSeRetired = (f: IssuanceFlows): Tally => {
  const r = f.registries
  const t = new Tally("sim-swap-old-se-retired")
  for (let u = 0; u < r.slots; u++) {
    if (r.inFlight[u] !== 0 || (r.oldSe[u] === Reg.none && r.oldMtps[u] === Reg.none)) continue
    t.check(
      card(r.oldSe[u]!) === Reg.none && card(r.oldMtps[u]!) === Reg.none,
      () => `user ${u}: SIM swapped, but the old SE holds ${r.oldSe[u]}, MTPS ${r.oldMtps[u]}`,
    )
  }
  return t
}

/** Every issuance invariant over the world's issuance network now. */
export const auditIssuance = (f: IssuanceFlows): ReadonlyArray<AuditResult> =>
  [
    registriesAgree(f),
    noDoubleIssuance(f),
    ordersAccounted(f),
    lifecycleReachedSe(f),
    swappedSeRetired(f),
  ].map((t) => ({
    name: t.name,
    checks: t.checks,
    violations: t.violations,
    problems: t.problems,
  }))
