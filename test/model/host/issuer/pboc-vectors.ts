/**
 * Reads the published emv_arqc and emv_issuer_script_mac vectors for the PBOC tests, from
 * test/vectors when present and from ../shared/vectors otherwise.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { hex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { commonSessionKey } from "../../../../model/crypto/emv-keys.ts"

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
  /** emv_common (default) vectors give R; pboc_atc vectors give the ATC instead. */
  readonly r_hex?: string
  readonly session_key_method?: "emv_common" | "pboc_atc"
  readonly atc_hex?: string
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

/** The ATC of a pboc_atc vector as a number. */
export const vectorAtc = (v: ArqcVector): number => Number.parseInt(v.atc_hex ?? "", 16)

/**
 * The vector's session key computed as the twin does: the TDES_PBOC profile's process key for
 * pboc_atc, and for emv_common the Book 2 A1.3.1 function the TDES_EMV profile calls, given the
 * vector's own R (the profile itself always uses R = ATC ‖ 00*6, which the vectors do not).
 */
export const vectorSessionKey = (crypto: Crypto, v: ArqcVector, mk: Uint8Array): Uint8Array =>
  v.session_key_method === "pboc_atc"
    ? TDES_PBOC.acSessionKey(crypto, mk, vectorAtc(v))
    : commonSessionKey(crypto, mk, hex(v.r_hex ?? ""))

export const arqcVectors = (): ReadonlyArray<ArqcVector> => load<ArqcVector>("emv_arqc")
export const scriptMacVectors = (): ReadonlyArray<ScriptMacVector> =>
  load<ScriptMacVector>("emv_issuer_script_mac")
