/**
 * The population inside a kernel, through the port only (DESIGN.md §3): one pending adoption event
 * for the whole schedule, and one pending event per active user. The run composition calls
 * `startPopulation(port, run, listener)`; the listener is where parties hook in (issue a card on
 * adoption, run a qPBOC purchase or a transfer on a transaction, 挂失/补卡/销户 orders) — it sees
 * one reusable event object and must copy what it keeps.
 */
import type { Port } from "../../sim/kernel/port.ts"
import type { PopulationEvent, PopulationRun } from "./population-run.ts"
import { PendingEvent } from "./population-state.ts"

export interface PopulationListener {
  /** A user adopted (their first card is to be issued) at `nowUs`. */
  onAdoption?(user: number, nowUs: number): void
  /** A transaction, 挂失, 补卡 decision or 销户 happened at `nowUs`. */
  onEvent?(event: Readonly<PopulationEvent>, nowUs: number): void
}

export interface PopulationProcess {
  readonly run: PopulationRun
  /** Events fired so far (adoptions included). */
  readonly fired: () => number
}

/** Registers the population's two handlers on the port and schedules the first adoption. */
export const startPopulation = (
  port: Port,
  run: PopulationRun,
  listener: PopulationListener = {},
): PopulationProcess => {
  const out: PopulationEvent = {
    kind: PendingEvent.none,
    user: -1,
    transactionKind: null,
    mixIndex: -1,
    amountFen: 0,
    reissued: false,
  }
  let fired = 0
  const schedule = (user: number, fromUs: number): void => {
    const at = run.nextEventUs(user, fromUs)
    if (at >= 0) port.after(at - fromUs, userHandler, user, null)
  }
  const userHandler = port.register<null>("population.user", (user) => {
    const now = port.now()
    run.fire(user, now, out)
    fired++
    listener.onEvent?.(out, now)
    schedule(user, now)
  })
  const adoptionHandler = port.register<null>("population.adoption", () => {
    const now = port.now()
    // Every adopter due now is taken in one event, so the installed base at time zero costs one heap entry.
    while (run.nextAdoptionUs() >= 0 && run.nextAdoptionUs() <= now) {
      const user = run.takeAdopter()
      run.adopt(user, now)
      fired++
      listener.onAdoption?.(user, now)
      schedule(user, now)
    }
    const next = run.nextAdoptionUs()
    if (next >= 0) port.after(next - now, adoptionHandler, 0, null)
  })
  const first = run.nextAdoptionUs()
  if (first >= 0) port.after(Math.max(0, first - port.now()), adoptionHandler, 0, null)
  return { run, fired: () => fired }
}
