// Proves that CryptoService's two layers provide the native and the reference implementation under one service key.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { CryptoService } from "../../../model/crypto/crypto-service.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../model/crypto/reference-crypto.ts"

const resolved = Effect.gen(function* () {
  return yield* CryptoService
})

describe("CryptoService", () => {
  it("provides the native layer", () => {
    expect(Effect.runSync(Effect.provide(resolved, CryptoService.native))).toBe(nativeCrypto)
  })

  it("provides the reference layer", () => {
    expect(Effect.runSync(Effect.provide(resolved, CryptoService.reference))).toBe(referenceCrypto)
  })
})
