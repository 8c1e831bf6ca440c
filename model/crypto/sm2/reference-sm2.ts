/**
 * The reference layer's SM2: the textbook algorithm (textbook-sm2.ts) with sm-crypto's SM3, the
 * library DESIGN.md §4 names for the reference layer.
 */
import { createRequire } from "node:module"
import { parseHex } from "../../bytes/hex.ts"
import { unwrap } from "../../bytes/result.ts"
import type { Sm2 } from "./sm2.ts"
import type { Sm3Function } from "./sm3-function.ts"
import { makeReferenceSm2 } from "./textbook-sm2.ts"

/**
 * sm-crypto ships no types (and @types/sm-crypto is stale, STACK.md), so it is loaded through
 * `require` with the one signature used here. It UTF-8-encodes string input, so bytes go in as a
 * plain array; it answers lower-case hex.
 */
const smCrypto = createRequire(import.meta.url)("sm-crypto") as {
  readonly sm3: (input: ReadonlyArray<number>) => string
}

const sm3FromSmCrypto: Sm3Function = (data) =>
  unwrap(parseHex(smCrypto.sm3(Array.from(data))), "sm-crypto sm3 output")

export const referenceSm2: Sm2 = makeReferenceSm2(sm3FromSmCrypto)
