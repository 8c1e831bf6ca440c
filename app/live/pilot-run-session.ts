/**
 * One live pilot run for the viewer: decodes a library scenario, builds its live run (live-pilot.ts)
 * with the viewer's signals (pilot-signals.ts) and traced issuances (flow-tracer.ts) written to the
 * given sinks, and, when asked, records the run to an NDJSON run file: the header, a `run.config`
 * record (scenario, seed, scale, until) and a `fault.injected` record per injection among the
 * records, then the end line with the digest — everything needed to run it again to the same
 * digest (rerunOf) as well as to replay its screens.
 */
import { readFileSync } from "node:fs"
import { daysFromIso } from "../../model/calendar/civil-calendar.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import type { PilotParties } from "../../model/world/pilot/pilot-party-layers.ts"
import { decodePilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import type { NdjsonSink } from "../../sim/recorder/ndjson-sink.ts"
import type { RecordLine, Sink } from "../../sim/recorder/sink.ts"
import { RUN_FILE_VERSION, type RunInfo } from "../../sim/server/protocol.ts"
import { FlowTracer } from "./flow-tracer.ts"
import { type Injection, LivePilot } from "./live-pilot.ts"
import { pilotFaultCatalogue } from "./pilot-catalogue.ts"
import { type LatestRecords, PilotSignals } from "./pilot-signals.ts"

export const RUN_CONFIG_SIGNAL = "run.config"
export const FAULT_INJECTED_SIGNAL = "fault.injected"

/** Two simulated hours between samples: 12 per day, ~13,000 over the three-year pilot. */
export const SAMPLE_EVERY_US = 2 * 3_600_000_000

export interface PilotRunOptions {
  readonly path: string
  readonly seed: number | null
  readonly scale: number
  readonly untilDate?: string | null
  readonly speed: number | null
  readonly crypto: Crypto
  /** The parties' decisions, resolved from their layers (model/world/pilot/pilot-root.ts). */
  readonly parties: PilotParties
  readonly sinks: ReadonlyArray<Sink>
  readonly recorder?: NdjsonSink | null
  readonly injections?: ReadonlyArray<Injection>
  /**
   * When party loads, KPIs and latency are written (pilot-signals.ts): a live viewer asks for
   * `on-frame`; a recorded run writes every sample's whatever is asked, for its run file.
   */
  readonly latestRecords?: LatestRecords
  /** Trace at most one issuance per this much simulated time. */
  readonly traceEveryUs?: number
  readonly onDay?: (day: number, days: number) => void
}

export interface PilotRun {
  readonly live: LivePilot
  readonly tracer: FlowTracer
  readonly info: RunInfo
  readonly faults: ReadonlyArray<{ id: string; title: string }>
  readonly done: Promise<void>
  /** A frame is about to be built: the newest sample's records that wait for one (pilot-signals.ts). */
  beforeFrame(): void
}

const tee = (sinks: ReadonlyArray<Sink>): Sink => ({
  write: (r: RecordLine) => {
    for (const s of sinks) s.write(r)
  },
  flush: () => {
    for (const s of sinks) s.flush()
  },
  close: () => {},
})

export const startPilotRun = (o: PilotRunOptions): PilotRun => {
  const decoded = decodePilotScenario(JSON.parse(readFileSync(o.path, "utf8")))
  if (!decoded.ok) throw new Error(`${o.path}: ${decoded.message}`)
  const sc = decoded.value
  const seed = o.seed ?? sc.seed
  const untilDate = o.untilDate ?? sc.untilDate
  const catalogue = pilotFaultCatalogue(sc)
  const out = tee(o.recorder ? [...o.sinks, o.recorder] : o.sinks)
  let signals: PilotSignals | null = null
  const live = new LivePilot({
    scenario: sc,
    population: decoded.population,
    scale: o.scale,
    seed,
    crypto: o.crypto,
    parties: o.parties,
    untilDate,
    sampleEveryUs: SAMPLE_EVERY_US,
    speed: o.speed,
    injections: o.injections ?? [],
    faultOf: (id, startUs) => catalogue.find((f) => f.id === id)?.fault(startUs) ?? null,
    onBoundary: () => signals?.sample(),
    onDay: (day, days) => o.onDay?.(day, days),
    onInjected: (i) => out.write({ tUs: i.atUs, signal: FAULT_INJECTED_SIGNAL, payload: i }),
  })
  // The tracer observes the flows and cards until its last traced issuance ends (flow-tracer.ts).
  const tracer = new FlowTracer(live.state.world, out, {
    everyUs: o.traceEveryUs ?? US_PER_DAY / 2,
    tracedMax: 400,
  })
  const latest = o.recorder ? "every-sample" : (o.latestRecords ?? "every-sample")
  signals = new PilotSignals(live.state, out, latest)
  const zeroDays = daysFromIso(decoded.population.timeZeroDate)
  const info: RunInfo = {
    scenario: sc.name.slice(0, 64),
    title: `${sc.title} (scale ${o.scale})`.slice(0, 256),
    seed,
    endUs: live.endUs,
    epochUs: Math.max(0, zeroDays * US_PER_DAY),
  }
  o.recorder?.write({ type: "run", protocol: RUN_FILE_VERSION, run: info })
  out.write({
    tUs: 0,
    signal: RUN_CONFIG_SIGNAL,
    payload: { scenario: sc.name, seed, scale: o.scale, untilDate },
  })
  const done = live.run().then(() => {
    if (live.status === "done") {
      const k = live.kernel
      o.recorder?.write({
        type: "end",
        tUs: k.nowUs,
        events: k.eventsProcessed,
        digest: live.state.world.digest.hex(),
      })
    }
    o.recorder?.close()
  })
  return {
    live,
    tracer,
    info,
    faults: catalogue.map((f) => ({ id: f.id, title: f.title })),
    done,
    beforeFrame: () => signals?.flush(),
  }
}

interface RunConfig {
  readonly scenario: string
  readonly seed: number
  readonly scale: number
  readonly untilDate: string
}

export interface Rerun {
  readonly scenario: string
  readonly seed: number
  readonly scale: number
  readonly untilDate: string
  readonly injections: ReadonlyArray<Injection>
  readonly digest: string | null
}

/** What a recorded run file needs to be run again to the same digest; null when it lacks its config. */
export const rerunOf = (text: string): Rerun | null => {
  let config: RunConfig | null = null
  const injections: Injection[] = []
  let digest: string | null = null
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue
    let r: Record<string, unknown>
    try {
      r = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    if (r.signal === RUN_CONFIG_SIGNAL) config = r.payload as RunConfig
    else if (r.signal === FAULT_INJECTED_SIGNAL) injections.push(r.payload as Injection)
    else if (r.type === "end" && typeof r.digest === "string") digest = r.digest
  }
  const c = config as RunConfig | null
  return c === null ? null : { ...c, injections, digest }
}
