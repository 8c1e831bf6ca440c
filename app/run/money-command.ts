/**
 * `tsm-twin run` for a money scenario: runs it with native crypto and writes `summary.json` (seed,
 * scenario hash, digest, per-kind counts and values, the audit's checks and violations, the ledger
 * pair check, the 差错 discrepancies). Called from run-command.ts when the JSON says
 * `kind: "money"`; plain code, so tests call it directly.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { runMoney } from "../../model/world/money/money-run.ts"
import { decodeMoneyScenario, moneyFaultsOf } from "../../model/world/money/money-scenario.ts"
import { RunReport } from "../report/run-report.ts"
import { decodeTargets, evaluateTargets, missedTargets } from "../report/targets.ts"
import { MoneyRecorder, moneyOutcome } from "./money-outcome.ts"

const US_PER_DAY = 86_400_000_000

export type MoneyCommandResult =
  | { readonly ok: true; readonly line: string; readonly violations: number; readonly targetsMissed: number }
  | { readonly ok: false; readonly message: string }

export const runMoneyScenario = (
  json: unknown,
  scenarioHash: string,
  out: string,
  seedOverride: number | null,
): MoneyCommandResult => {
  const decoded = decodeMoneyScenario(json)
  if (!decoded.ok) return decoded
  const sc = decoded.value
  const seed = seedOverride ?? sc.seed
  const folder = resolve(out)
  mkdirSync(folder, { recursive: true })
  const path = join(folder, "summary.json")
  const meta = { scenario: sc.name, seed, scenarioHash }
  write(path, { ...meta, status: "running" })
  const targets = decodeTargets(json)
  if (!targets.ok) return targets
  const recorder = new MoneyRecorder()
  const s = runMoney({
    seed,
    crypto: nativeCrypto,
    transactions: sc.transactions,
    cardsPerBank: sc.cardsPerBank,
    days: sc.days,
    faults: moneyFaultsOf(sc),
    sinks: [recorder],
  })
  const violations = s.audit.violations.length + s.ledgerMismatches.length
  const perKind = Object.fromEntries(Object.entries(s.perKind).sort(([a], [b]) => (a < b ? -1 : 1)))
  // The run report (app/report) with this command's own fields last, as before.
  const outcome = moneyOutcome(s, recorder, {
    scenario: sc.name,
    scenarioHash,
    status: "complete",
    targets: targets.targets,
    faults: moneyFaultsOf(sc),
    endUs: sc.days * US_PER_DAY,
  })
  new RunReport(folder).finish(outcome, {
    ...meta,
    status: "complete",
    digest: s.digest,
    perKind,
    invariants: { checks: s.audit.checks, violations, authStates: s.audit.authStates },
    violations: [...s.audit.violations, ...s.ledgerMismatches].map((message) => ({ message, seed })),
    discrepancies: s.discrepancies,
    fraudFlags: s.fraud,
    clearingCycles: s.cycles,
    money: {
      reservesFen: s.audit.reservesFen,
      depositsFen: s.audit.depositsFen,
      ecashOnCardsFen: s.audit.ecashOnCardsFen,
      personalizationBacklogUs: s.personalizationBacklogUs,
    },
  })
  return {
    ok: true,
    line: `run ${sc.name}: seed ${seed}, digest ${s.digest}, ${violations} invariant violations → ${path}`,
    violations,
    targetsMissed: missedTargets(evaluateTargets(outcome)).length,
  }
}

const write = (path: string, value: unknown): void => {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}
