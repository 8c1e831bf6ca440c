/**
 * Where the published vectors are read from: test/vectors once the integrator has copied them in,
 * /work/shared/vectors (../shared/vectors from the repository root) until then.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "../../..")

export const vectorsDir = (): string => {
  const local = resolve(ROOT, "test/vectors")
  return existsSync(resolve(local, "ber_tlv.json")) ? local : resolve(ROOT, "../shared/vectors")
}

export const readVectorFile = <T>(name: string): T =>
  JSON.parse(readFileSync(resolve(vectorsDir(), name), "utf8")) as T
