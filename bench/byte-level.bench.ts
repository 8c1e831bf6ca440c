/**
 * bench:byte-level — what byte-level fidelity costs (issue 12 "Must show"): the pilot as planned
 * at a small scale with every user byte-level, timing each real issuance (envelope chain + OTA
 * personalization) and each real card session (tap + issuer verification) in wall time, then the
 * extrapolated wall time of a 1× run at `--byte-level 1`: the 1× background time (bench:pilot,
 * pass it as the second argument in seconds; 168 by default) plus 1×'s byte-level issuances and
 * sessions at the measured costs. Figures only, never asserted.
 * `npm run bench:byte-level -- [scale] [background-1x-s]`
 */
import { readFileSync } from "node:fs"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runPilot } from "../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"

const scale = Number(process.argv[2] ?? "0.002")
const background1xS = Number(process.argv[3] ?? "168")
const text = readFileSync(new URL("../scenarios/04-pilot-plan.json", import.meta.url), "utf8")
const d = decodePilotScenario(JSON.parse(text))
if (!d.ok) throw new Error(d.message)

const spent = { issueNs: 0n, issues: 0, transactNs: 0n, sessions: 0 }
const t0 = process.hrtime.bigint()
const s = runPilot({
  scenario: { ...d.value, fidelity: { byteLevelFraction: 1 } },
  population: d.population,
  scale,
  seed: d.value.seed,
  crypto: nativeCrypto,
  beforeRun: (w) => {
    const cards = w.cards
    // On one thread (the default here) an issuance job runs when it is posted (issuance-plane.ts).
    const jobs = w.issuanceJobs
    const post = jobs.post.bind(jobs)
    const transact = cards.transact.bind(cards)
    jobs.post = (user, generation) => {
      const a = process.hrtime.bigint()
      post(user, generation)
      spent.issueNs += process.hrtime.bigint() - a
      spent.issues++
    }
    cards.transact = (user, kind, amountFen, iso) => {
      const before = cards.tally.transactions
      const a = process.hrtime.bigint()
      const r = transact(user, kind, amountFen, iso)
      if (cards.tally.transactions > before) {
        spent.transactNs += process.hrtime.bigint() - a
        spent.sessions++
      }
      return r
    }
  },
})
const wallS = Number(process.hrtime.bigint() - t0) / 1e9
const w = s.world
const issueMs = Number(spent.issueNs) / 1e6 / Math.max(1, spent.issues)
const sessionMs = Number(spent.transactNs) / 1e6 / Math.max(1, spent.sessions)
const issues1x = spent.issues / scale
const sessions1x = spent.sessions / scale
const extrapolatedS = background1xS + (issues1x * issueMs + sessions1x * sessionMs) / 1000
console.log(
  JSON.stringify({
    scale,
    wallS,
    byteLevelIssuances: spent.issues,
    byteLevelSessions: spent.sessions,
    msPerIssuance: issueMs,
    msPerSession: sessionMs,
    shareOfWallInIssuance: Number(spent.issueNs) / 1e9 / wallS,
    shareOfWallInSessions: Number(spent.transactNs) / 1e9 / wallS,
    crypto: w.cryptoCounts,
    violations: s.violations.length,
  }),
)
console.log(
  `byte-level 1 at ${scale}: ${wallS.toFixed(1)} s wall; ${spent.issues} issuances at ${issueMs.toFixed(1)} ms, ${spent.sessions} card sessions at ${sessionMs.toFixed(2)} ms; ` +
    `1× at --byte-level 1 ≈ ${background1xS} s background + ${((issues1x * issueMs) / 1000).toFixed(0)} s issuances + ${((sessions1x * sessionMs) / 1000).toFixed(0)} s sessions = ${(extrapolatedS / 60).toFixed(0)} min`,
)
