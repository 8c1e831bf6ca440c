/**
 * Reads the published emv_arqc and emv_issuer_script_mac vectors for the PBOC tests, from
 * test/vectors when present and from ../shared/vectors otherwise.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"

const REPO_ROOT = resolve(import.meta.dirname, "../../../..")

const directory = (): string => {
  const local = resolve(REPO_ROOT, "test/vectors")
  return existsSync(local) ? local : resolve(REPO_ROOT, "../shared/vectors")
}

export interface ArqcVector {
  readonly id: string
  readonly imk_hex: string
  readonly pan: string
  readonly psn: string | null
  readonly r_hex: string
  readonly padding: "method1" | "method2"
  readonly ac_input_hex: string
  readonly icc_mk_hex: string
  readonly session_key_hex: string
  readonly arqc_hex: string
  readonly arpc?: {
    readonly method: 1 | 2
    readonly key: "icc_mk" | "session_key"
    readonly arc_hex?: string
    readonly csu_hex?: string
    readonly proprietary_auth_data_hex?: string
    readonly arpc_hex: string
  }
}

export interface ScriptMacVector {
  readonly id: string
  readonly session_key_hex: string
  readonly mac_input_hex: string
  readonly mac_hex: string
}

const load = <V>(kind: string): ReadonlyArray<V> => {
  const file = JSON.parse(readFileSync(resolve(directory(), `${kind}.json`), "utf8")) as { vectors: V[] }
  if (file.vectors.length === 0) throw new Error(`${kind}.json has no vectors`)
  return file.vectors
}

export const arqcVectors = (): ReadonlyArray<ArqcVector> => load<ArqcVector>("emv_arqc")
export const scriptMacVectors = (): ReadonlyArray<ScriptMacVector> =>
  load<ScriptMacVector>("emv_issuer_script_mac")
