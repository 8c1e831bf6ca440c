/**
 * Loads the published vectors (vectors/README.md format) for the crypto tests, from test/vectors
 * when the integrator has copied them there and from ../shared/vectors otherwise, and names the two
 * implementations every vector runs against.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { hex } from "../../../model/bytes/hex.ts"
import type { Crypto } from "../../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../model/crypto/reference-crypto.ts"

const REPO_ROOT = resolve(import.meta.dirname, "../../..")

const vectorDirectory = (): string => {
  const local = resolve(REPO_ROOT, "test/vectors")
  return existsSync(local) ? local : resolve(REPO_ROOT, "../shared/vectors")
}

/** One vector: its id plus the fields of its kind, read through the accessors below. */
export interface Vector {
  readonly id: string
  readonly [field: string]: unknown
}

export const loadVectors = (kind: string): ReadonlyArray<Vector> => {
  const file = JSON.parse(readFileSync(resolve(vectorDirectory(), `${kind}.json`), "utf8")) as {
    kind: string
    vectors: Vector[]
  }
  if (file.kind !== kind || file.vectors.length === 0)
    throw new Error(`${kind}.json holds no ${kind} vectors`)
  return file.vectors
}

/** A hex field as bytes; a missing or non-string field is a broken vector file. */
export const bytesField = (vector: Readonly<Record<string, unknown>>, field: string): Uint8Array => {
  const value = vector[field]
  if (typeof value !== "string") throw new Error(`field ${field} is not a hex string`)
  return hex(value)
}

export const CRYPTOS: ReadonlyArray<Crypto> = [nativeCrypto, referenceCrypto]
