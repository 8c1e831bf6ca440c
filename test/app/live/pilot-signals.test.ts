// Proves each party's load signal says down exactly while an outage window of that party is open,
// and degraded exactly inside a degradation window of it (the windows as the world's fault
// targets record them, model/world/pilot/pilot-world.ts), whatever the other parties' windows;
// and that each window reaches the viewer with its party and kind, an outage and a degradation of
// one party at one instant under keys of their own.
import { describe, expect, it } from "vitest"
import { windowOf } from "../../../app/live/fault-window-signals.ts"
import { PilotSignals } from "../../../app/live/pilot-signals.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../../model/signals/party-load.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import { runSmallPilot } from "../../model/world/pilot/small-pilot.fixture.ts"

describe("pilot signals", () => {
  it("marks a party down while its outage is open and degraded inside its degradation", () => {
    const run = runSmallPilot("04-pilot-plan", 5, "2014-08-20")
    const now = run.world.kernel.nowUs
    const windows = run.world.faultWindows
    windows.length = 0
    windows.push(
      { party: "mtps", kind: "outage", startUs: 0, endUs: -1 },
      // A closed outage and a degradation that ended, or has not begun, mark nothing.
      { party: "bank-host", kind: "outage", startUs: 0, endUs: now - 1 },
      { party: "bank-host", kind: "degraded", startUs: 0, endUs: now },
      { party: "unionpay-switch", kind: "degraded", startUs: now + 1, endUs: now + 10 },
      { party: "gzt-tsm.hsm", kind: "degraded", startUs: now, endUs: now + 1 },
      { party: "telco-ota", kind: "outage", startUs: 0, endUs: -1 },
      { party: "telco-ota", kind: "degraded", startUs: 0, endUs: now + 1 },
      { party: "no-such-party", kind: "outage", startUs: 0, endUs: -1 },
    )
    const sink = new MemorySink()
    new PilotSignals(run, sink).sample()
    const loads = new Map(
      sink.records
        .filter((r) => r.signal === PARTY_LOAD_SIGNAL)
        .map((r) => r.payload as PartyLoad)
        .map((l) => [l.key, l]),
    )
    const flags = (key: string) => ({ down: loads.get(key)?.down, degraded: loads.get(key)?.degraded })
    expect(flags("mtps")).toEqual({ down: true, degraded: false })
    expect(flags("bank-host")).toEqual({ down: false, degraded: false })
    expect(flags("unionpay-switch")).toEqual({ down: false, degraded: false })
    expect(flags("gzt-tsm.hsm")).toEqual({ down: false, degraded: true })
    expect(flags("telco-ota")).toEqual({ down: true, degraded: true })
    expect(flags("users")).toEqual({ down: false, degraded: false })
  })

  it("sends each fault window with its party and kind, keyed apart", () => {
    const outage = windowOf({ party: "telco-ota", kind: "outage", startUs: 5, endUs: -1 })
    const degraded = windowOf({ party: "telco-ota", kind: "degraded", startUs: 5, endUs: 9 })
    expect(outage).toEqual({
      key: "telco-ota@5",
      party: "telco-ota",
      kind: "outage",
      startUs: 5,
      endUs: null,
    })
    expect(degraded).toEqual({
      key: "telco-ota (degraded)@5",
      party: "telco-ota",
      kind: "degraded",
      startUs: 5,
      endUs: 9,
    })
  })
})
