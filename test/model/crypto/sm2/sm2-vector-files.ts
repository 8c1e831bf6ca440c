/**
 * Reads the published SM2 vectors (vectors/README.md) for the tests: from test/vectors once the
 * integrator has copied them there, else from the shared folder beside the repository.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { bytesToBigint } from "../../../../model/bytes/bytes.ts"
import { hex } from "../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../model/bytes/result.ts"
import { curveFromHex, type Sm2CurveHex } from "../../../../model/crypto/sm2/curve.ts"
import type { Sm2Curve } from "../../../../model/crypto/sm2/sm2.ts"

const repoRoot = resolve(import.meta.dirname, "../../../..")

const vectorDir = (): string => {
  const local = resolve(repoRoot, "test/vectors")
  return existsSync(resolve(local, "sm2_sign.json")) ? local : resolve(repoRoot, "../shared/vectors")
}

type Fields = Record<string, unknown> & { readonly id: string }

export const vectorsOf = (kind: string): ReadonlyArray<Fields> => {
  const file = JSON.parse(readFileSync(resolve(vectorDir(), `${kind}.json`), "utf8")) as {
    kind: string
    vectors: Fields[]
  }
  if (file.kind !== kind || file.vectors.length === 0) throw new Error(`${kind}.json has no ${kind} vectors`)
  return file.vectors
}

export const bytesField = (v: Fields, name: string): Uint8Array => hex(v[name] as string)
export const bigintField = (v: Fields, name: string): bigint => bytesToBigint(bytesField(v, name))
export const curveField = (v: Fields): Sm2Curve =>
  unwrap(curveFromHex(v.curve_params as Sm2CurveHex), `${v.id} curve_params`)
export const publicKeyField = (v: Fields) => ({
  x: bigintField(v, "public_key_x_hex"),
  y: bigintField(v, "public_key_y_hex"),
})
