/**
 * The native layer's SM2: the project's own fast arithmetic (fast-sm2.ts) with OpenSSL's SM3
 * through node:crypto. Node 20 cannot make standard SM2 signatures itself (STACK.md "Crypto facts").
 */
import { createHash } from "node:crypto"
import { makeNativeSm2 } from "./fast-sm2.ts"
import type { Sm2 } from "./sm2.ts"
import type { Sm3Function } from "./sm3-function.ts"

const sm3FromOpenSsl: Sm3Function = (data) => new Uint8Array(createHash("sm3").update(data).digest())

export const nativeSm2: Sm2 = makeNativeSm2(sm3FromOpenSsl)
