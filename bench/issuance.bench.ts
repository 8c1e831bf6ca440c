/**
 * `npm run bench:issuance [users]`: runs scenario 02 (default 1,000 users) with native crypto and
 * prints card issuances (issue, reissue and SIM-swap orders done) per wall-clock second and the SM2
 * operations (sign, verify, encrypt, decrypt) per issuance, counted by wrapping the Crypto's SM2.
 * A figure printer, never a timed assertion.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import type { Crypto } from "../model/crypto/crypto.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { decodeIssuanceScenario } from "../model/world/issuance/issuance-scenario.ts"
import { runIssuance } from "../model/world/issuance/run-issuance.ts"

const counts = { sign: 0, verify: 0, encrypt: 0, decrypt: 0 }
const sm2 = nativeCrypto.sm2
const counted: Crypto = {
  ...nativeCrypto,
  sm2: {
    ...sm2,
    sign: (...a) => {
      counts.sign++
      return sm2.sign(...a)
    },
    verify: (...a) => {
      counts.verify++
      return sm2.verify(...a)
    },
    encrypt: (...a) => {
      counts.encrypt++
      return sm2.encrypt(...a)
    },
    decrypt: (...a) => {
      counts.decrypt++
      return sm2.decrypt(...a)
    },
  },
}

const decoded = decodeIssuanceScenario(
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../scenarios/02-issuance-1000.json"), "utf8")),
)
if (!decoded.ok) throw new Error(decoded.message)
const users = Number(process.argv[2] ?? decoded.value.users)
const started = process.hrtime.bigint()
const run = runIssuance({ ...decoded.value, users }, decoded.value.seed, counted)
const wallS = Number(process.hrtime.bigint() - started) / 1e9
const issued =
  (run.driver.flows.get("reissue:done") ?? 0) +
  (run.driver.flows.get("sim-swap:done") ?? 0) +
  [...run.driver.flows]
    .filter(([k]) => k.startsWith("issue.") && k.endsWith(":done"))
    .reduce((n, [, v]) => n + v, 0)
const sm2Total = counts.sign + counts.verify + counts.encrypt + counts.decrypt
console.log(
  JSON.stringify({
    users,
    issuancesDone: issued,
    ordersTotal: [...run.driver.flows.values()].reduce((n, v) => n + v, 0),
    wallSeconds: Number(wallS.toFixed(2)),
    issuancesPerSecond: Number((issued / wallS).toFixed(1)),
    sm2: counts,
    sm2PerIssuance: Number((sm2Total / issued).toFixed(2)),
    note: "all orders (lock, close included) ran; SM2 counts cover the whole run divided by issuances",
  }),
)
