// Proves the ledger answers "has this run finished?" from its finish row's record — the record as
// written, for the run that finished, whichever rows came before — and says no for a run that only
// started, for another sweep's run, and for a finish row from before rows kept their record.
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { pgLayer } from "../../../app/cluster/cluster-layers.ts"
import { parseClusterUrl } from "../../../app/cluster/cluster-url.ts"
import { ensureLedger, finishedRecord, recordRunEvent } from "../../../app/cluster/run-ledger.ts"
import { type Postgres, startPostgres } from "./pg-fixture.ts"

let pg: Postgres
beforeAll(async () => {
  pg = await startPostgres()
}, 120_000)
afterAll(() => pg?.stop())

const run = (job: number) => ({ sweepId: "s1", job, point: 0, replication: job, seed: 100 + job })

describe("run ledger", () => {
  it("gives back a finished run's record, and nothing for a run that did not finish", async () => {
    const parsed = parseClusterUrl(pg.url)
    if (!parsed.ok) throw new Error(parsed.message)
    const record = {
      job: 1,
      point: 0,
      replication: 1,
      seed: 101,
      digest: "ab",
      kpis: { cards: 3, value: null },
      runner: "r:1",
    }
    const answers = await Effect.runPromise(
      Effect.gen(function* () {
        yield* ensureLedger
        yield* recordRunEvent("start", run(1), "r:1", null)
        yield* recordRunEvent("finish", run(1), "r:1", "ab", record)
        // A second finish of the same run (the duplicate this guards against) does not replace the first.
        yield* recordRunEvent("finish", run(1), "r:2", "ab", { ...record, runner: "r:2" })
        yield* recordRunEvent("start", run(2), "r:1", null)
        yield* recordRunEvent("finish", run(3), "r:1", "cd")
        return {
          finished: yield* finishedRecord("s1", 1),
          started: yield* finishedRecord("s1", 2),
          withoutRecord: yield* finishedRecord("s1", 3),
          otherSweep: yield* finishedRecord("s2", 1),
        }
      }).pipe(Effect.provide(pgLayer(parsed.value))),
    )
    expect(answers).toEqual({ finished: record, started: null, withoutRecord: null, otherSweep: null })
  }, 120_000)
})
