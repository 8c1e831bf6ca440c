/**
 * The control plane's handle on the crypto layer (DESIGN.md §2, §4): the composition root picks
 * `CryptoService.native` for runs and benchmarks, or `CryptoService.reference` to replay a run on
 * the readable implementation; both satisfy the same `Crypto` and agree byte for byte. The data
 * plane receives the resolved `Crypto` value once per run and calls it synchronously.
 */
import { Context, Layer } from "effect"
import type { Crypto } from "./crypto.ts"
import { nativeCrypto } from "./native-crypto.ts"
import { referenceCrypto } from "./reference-crypto.ts"

export class CryptoService extends Context.Service<CryptoService, Crypto>()(
  "tsm-twin/model/crypto/CryptoService",
) {
  static readonly native = Layer.succeed(CryptoService, nativeCrypto)
  static readonly reference = Layer.succeed(CryptoService, referenceCrypto)
}
