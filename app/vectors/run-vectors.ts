/**
 * Runs every vector of a loaded directory against both crypto layers and reports each vector's
 * outcome by id (vectors/README.md "Runner rules": report per vector, never stop at the first
 * failure, report unknown kinds as skipped).
 */
import type { Crypto } from "../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../model/crypto/reference-crypto.ts"
import { KIND_CHECKERS } from "./kind-checkers.ts"
import type { LoadedDirectory } from "./vector-directory.ts"
import { VectorFields } from "./vector-fields.ts"

export type Outcome = "pass" | "fail" | "invalid"

export interface VectorOutcome {
  readonly kind: string
  readonly id: string
  /** "native", "reference", or "-" for kinds that use no crypto. */
  readonly layer: string
  readonly outcome: Outcome
  readonly details: ReadonlyArray<string>
  readonly source: string
  readonly unknownFields: ReadonlyArray<string>
}

export interface VectorReport {
  readonly outcomes: ReadonlyArray<VectorOutcome>
  readonly skippedKinds: ReadonlyArray<{
    readonly file: string
    readonly kind: string
    readonly count: number
  }>
  readonly fileProblems: ReadonlyArray<{ readonly file: string; readonly message: string }>
}

export const LAYERS: ReadonlyArray<Crypto> = [nativeCrypto, referenceCrypto]

export const runVectors = (loaded: LoadedDirectory, layers: ReadonlyArray<Crypto> = LAYERS): VectorReport => {
  const outcomes: VectorOutcome[] = []
  const skippedKinds: Array<{ file: string; kind: string; count: number }> = []
  for (const file of loaded.files) {
    const checker = KIND_CHECKERS[file.kind]
    if (checker === undefined) {
      skippedKinds.push({ file: file.file, kind: file.kind, count: file.vectors.length })
      continue
    }
    const runOn = checker.usesCrypto ? layers : layers.slice(0, 1)
    file.vectors.forEach((vector, index) => {
      for (const crypto of runOn) {
        outcomes.push(runOne(file.kind, vector, index, crypto, checker.usesCrypto ? crypto.name : "-"))
      }
    })
  }
  return { outcomes, skippedKinds, fileProblems: loaded.problems }
}

const runOne = (
  kind: string,
  vector: Readonly<Record<string, unknown>>,
  index: number,
  crypto: Crypto,
  layer: string,
): VectorOutcome => {
  const fields = new VectorFields(vector)
  const id = typeof vector.id === "string" ? vector.id : `${kind}[${index}]`
  const source = typeof vector.source === "string" ? vector.source : "(no source given)"
  let mismatches: ReadonlyArray<string>
  try {
    mismatches = KIND_CHECKERS[kind]!.check(fields, crypto)
  } catch (cause) {
    // A checker must not throw on any input; if one does, it is reported against the vector
    // (with the message), so one bad vector cannot stop the run.
    mismatches = [`checker failed: ${(cause as Error).message}`]
  }
  const outcome: Outcome = fields.problems.length > 0 ? "invalid" : mismatches.length > 0 ? "fail" : "pass"
  const details = fields.problems.length > 0 ? fields.problems : mismatches
  return { kind, id, layer, outcome, details, source, unknownFields: fields.unknownFields() }
}

/** Human-readable report; the last line is `N passed, M failed` (the plain closing line CI reads). */
export const formatReport = (report: VectorReport): string => {
  const lines: string[] = []
  for (const p of report.fileProblems) lines.push(`PROBLEM ${p.file}: ${p.message}`)
  for (const s of report.skippedKinds)
    lines.push(`SKIPPED ${s.file}: unknown kind ${JSON.stringify(s.kind)} (${s.count} vectors)`)
  for (const o of report.outcomes) {
    if (o.outcome !== "pass") {
      lines.push(
        `${o.outcome === "fail" ? "FAIL" : "INVALID"} ${o.kind} ${o.id} [${o.layer}]  source: ${o.source}`,
      )
      for (const d of o.details) lines.push(`    ${d}`)
    }
  }
  const unknown = new Map<string, Set<string>>()
  for (const o of report.outcomes) {
    for (const f of o.unknownFields) {
      if (!unknown.has(o.kind)) unknown.set(o.kind, new Set())
      unknown.get(o.kind)!.add(f)
    }
  }
  for (const [kind, names] of unknown)
    lines.push(`NOTE ${kind}: unknown fields ignored: ${[...names].join(", ")}`)
  const passed = report.outcomes.filter((o) => o.outcome === "pass").length
  // A file that could not be read counts as a failure: the user asked for it to be checked.
  const failed = report.outcomes.length - passed + report.fileProblems.length
  const kinds = new Set(report.outcomes.map((o) => o.kind)).size
  lines.push(
    `${kinds} kinds, ${new Set(report.outcomes.map((o) => `${o.kind}/${o.id}`)).size} vectors, layers: native + reference`,
  )
  lines.push(`${passed} passed, ${failed} failed`)
  return lines.join("\n")
}
