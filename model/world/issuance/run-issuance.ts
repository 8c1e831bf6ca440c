/**
 * One issuance run: build the world, start the users, run the kernel a simulated day at a time
 * (reporting progress so a caller can write the summary incrementally), probe every SE's registry
 * after each terminal order, and finish the audit. A pure function of (scenario, seed, code);
 * `startIssuance` hands the kernel to a caller that paces it (the CLI's RunControl).
 */

import type { Sink } from "../../../sim/recorder/sink.ts"
import { IssuanceAudit } from "../../audit/issuance-audit.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import { MtpsHub } from "../../parties/mtps/mtps-hub.ts"
import { SeIssuer } from "../../parties/telco/se-issuer.ts"
import { PlatformTsm } from "../../parties/tsm/platform-tsm.ts"
import type { IssuanceScenario } from "./issuance-scenario.ts"
import { readRegistry } from "./registry-probe.ts"
import { UserDriver } from "./user-driver.ts"
import { buildWorld, type MtpsFactory, type PartyFactories, type World } from "./world.ts"
import { windowsOf } from "./world-links.ts"

const US_PER_DAY = 86_400_000_000

export interface IssuanceRun {
  readonly world: World
  readonly audit: IssuanceAudit
  readonly driver: UserDriver
  readonly endUs: number
  readonly digest: string
}

/**
 * A built issuance world whose users have started, for a caller that drives its kernel (sim/run's
 * RunControl: chunked, interruptible). Take `boundary` at every multiple of a simulated day up to
 * `days` days, then `finish` once the end is reached; an interrupted run never calls `finish`
 * (orders still in flight are not ended ones).
 */
export interface IssuanceStart {
  readonly world: World
  readonly audit: IssuanceAudit
  readonly driver: UserDriver
  readonly days: number
  /** At a day boundary (atUs = day × 1 day; day 0 does nothing): reports the day to `onDay`. */
  readonly boundary: (atUs: number) => void
  /** Ends the audit at the kernel's clock and gives the run with its event-log digest. */
  readonly finish: () => IssuanceRun
}

export const startIssuance = (
  scenario: IssuanceScenario,
  seed: number,
  crypto: Crypto,
  onDay: (day: number, run: Omit<IssuanceRun, "digest">) => void = () => {},
  parties: PartyFactories = SCENARIO_PARTIES,
  /** Further signal sinks, e.g. the run report's recorder (issuance-outcome.ts). */
  sinks: ReadonlyArray<Sink> = [],
): IssuanceStart => {
  const audit = new IssuanceAudit()
  const world = buildWorld(scenario, seed, crypto, [audit, ...sinks], parties)
  const driver = new UserDriver(world, scenario)
  const probeChallenge = seededBytes(crypto, seed, "audit-probe")
  const probe = (seId: string) => {
    const card = world.cards.get(seId)
    const access = [...world.issuers.values()].find((i) => i.isdAccess(seId) !== undefined)?.isdAccess(seId)
    if (card === undefined || access === undefined) return
    const entries = readRegistry(crypto, card, access, probeChallenge(8))
    world.port.emit("se.registry", {
      seId,
      entries: typeof entries === "string" ? [`error:${entries}`] : entries,
    })
  }
  for (const tsm of [world.gzt, world.spTsm])
    tsm.onTerminal = (request, state) => {
      probe(request.seId)
      driver.next(request, state)
    }
  driver.start()
  const boundary = (atUs: number) => {
    if (atUs > 0 && atUs % US_PER_DAY === 0)
      onDay(atUs / US_PER_DAY, { world, audit, driver, endUs: world.kernel.nowUs })
  }
  const finish = (): IssuanceRun => {
    const endUs = world.kernel.nowUs
    audit.finish(endUs)
    return { world, audit, driver, endUs, digest: world.digest.hex() }
  }
  return { world, audit, driver, days: scenario.durationDays, boundary, finish }
}

/** The whole run at once, a day at a time (tests, benchmarks); the same events as a paced run. */
export const runIssuance = (
  scenario: IssuanceScenario,
  seed: number,
  crypto: Crypto,
  onDay: (day: number, run: Omit<IssuanceRun, "digest">) => void = () => {},
  parties: PartyFactories = SCENARIO_PARTIES,
  sinks: ReadonlyArray<Sink> = [],
): IssuanceRun => {
  const start = startIssuance(scenario, seed, crypto, onDay, parties, sinks)
  for (let day = 1; day <= start.days; day++) {
    start.world.kernel.run(day * US_PER_DAY)
    start.boundary(day * US_PER_DAY)
  }
  return start.finish()
}

/** The hub the scenario describes: its capacity, service time and outage windows. */
export const scenarioMtps: MtpsFactory = (institution, sc) =>
  new MtpsHub(institution, {
    servers: sc.mtpsServers,
    serviceUs: sc.mtpsServiceUs,
    queueMax: sc.mtpsQueueMax,
    outages: windowsOf(sc.mtpsOutages),
  })

/** Every party as the scenario describes it (outages included); the party layers' defaults. */
export const SCENARIO_PARTIES: PartyFactories = {
  mtps: scenarioMtps,
  seIssuer: (institution, options) => new SeIssuer(institution, options),
  tsm: (institution, options) => new PlatformTsm(institution, options),
}
