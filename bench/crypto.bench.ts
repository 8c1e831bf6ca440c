/**
 * `npm run bench:crypto`: ops/s of each primitive in both crypto layers and, side by side in the
 * same process, sm-crypto-v2 (a dev dependency used only here, for comparison). Budgets from the
 * issue: native SM2 sign and verify each ≥ 2× sm-crypto-v2; native SM3 and SM4 ≥ 3× reference.
 */
import * as smv2 from "sm-crypto-v2"
import { bigintToBytes } from "../model/bytes/bytes.ts"
import { toHex } from "../model/bytes/hex.ts"
import { cmac } from "../model/crypto/cmac.ts"
import type { Crypto } from "../model/crypto/crypto.ts"
import { retailMac } from "../model/crypto/mac.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../model/crypto/reference-crypto.ts"
import { SM2P256V1 } from "../model/crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../model/crypto/sm2/sm2.ts"
import { measure, printLine } from "./measure.ts"

/** Fixed inputs: benchmarks are as reproducible as the twin (no ambient randomness either). */
const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff)
const KEY16 = bytes(16, 1)
const IV16 = bytes(16, 2)
const MSG64 = bytes(64, 3)
const MSG256 = bytes(256, 4)
const MSG1K = bytes(1024, 5)
const BLOCK16 = bytes(16, 6)
const PRIVATE_KEY = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n
const K = 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n

type Row = { op: string; layer: string; opsPerSec: number }
const rows: Row[] = []
const run = (op: string, layer: string, operation: () => unknown, budgetMs?: number): void => {
  const m = measure(operation, budgetMs)
  rows.push({ op, layer, opsPerSec: m.opsPerSec })
  printLine({
    bench: "crypto",
    op,
    layer,
    opsPerSec: Math.round(m.opsPerSec),
    ops: m.ops,
    seconds: +m.seconds.toFixed(3),
  })
}

const layerRuns = (crypto: Crypto): void => {
  const pub = crypto.sm2.publicKeyOf(SM2P256V1, PRIVATE_KEY)
  const sig = crypto.sm2.sign(SM2P256V1, PRIVATE_KEY, SM2_DEFAULT_USER_ID, MSG64, K)!
  run("sm2.sign", crypto.name, () => crypto.sm2.sign(SM2P256V1, PRIVATE_KEY, SM2_DEFAULT_USER_ID, MSG64, K))
  run("sm2.verify", crypto.name, () => crypto.sm2.verify(SM2P256V1, pub, SM2_DEFAULT_USER_ID, MSG64, sig))
  run("sm3.64B", crypto.name, () => crypto.sm3(MSG64))
  run("sm3.1KiB", crypto.name, () => crypto.sm3(MSG1K))
  run("sm4.block", crypto.name, () => crypto.encryptEcb("SM4", KEY16, BLOCK16))
  run("sm4.cbc.1KiB", crypto.name, () => crypto.encryptCbc("SM4", KEY16, IV16, MSG1K))
  run("cmac.aes.256B", crypto.name, () => cmac(crypto, "AES", KEY16, MSG256))
  run("cmac.sm4.256B", crypto.name, () => cmac(crypto, "SM4", KEY16, MSG256))
  run("retail-mac.256B", crypto.name, () => retailMac(crypto, KEY16, MSG256, 2))
}

const smCryptoV2Runs = (): void => {
  const privateHex = toHex(bigintToBytes(PRIVATE_KEY, 32)).toLowerCase()
  const publicHex = smv2.sm2.getPublicKeyFromPrivateKey(privateHex)
  const options = { hash: true, publicKey: publicHex, userId: "1234567812345678" }
  const signature = smv2.sm2.doSignature(MSG64, privateHex, options)
  const precomputed = smv2.sm2.precomputePublicKey(publicHex)
  run("sm2.sign", "sm-crypto-v2", () => smv2.sm2.doSignature(MSG64, privateHex, options))
  run("sm2.verify", "sm-crypto-v2", () => smv2.sm2.doVerifySignature(MSG64, signature, publicHex, options))
  run("sm2.verify.precomputed-key", "sm-crypto-v2", () =>
    smv2.sm2.doVerifySignature(MSG64, signature, precomputed, options),
  )
  run("sm3.64B", "sm-crypto-v2", () => smv2.sm3(MSG64))
  run("sm3.1KiB", "sm-crypto-v2", () => smv2.sm3(MSG1K))
  run("sm4.block", "sm-crypto-v2", () =>
    smv2.sm4.encrypt(BLOCK16, KEY16, { padding: "none", output: "array" }),
  )
  run("sm4.cbc.1KiB", "sm-crypto-v2", () =>
    smv2.sm4.encrypt(MSG1K, KEY16, { mode: "cbc", iv: IV16, padding: "none", output: "array" }),
  )
}

const rate = (op: string, layer: string): number =>
  rows.find((r) => r.op === op && r.layer === layer)?.opsPerSec ?? Number.NaN

const budget = (name: string, ratio: number, minimum: number): void => {
  printLine({ bench: "crypto", budget: name, ratio: +ratio.toFixed(2), minimum, met: ratio >= minimum })
}

layerRuns(nativeCrypto)
layerRuns(referenceCrypto)
smCryptoV2Runs()
budget("native sm2.sign / sm-crypto-v2", rate("sm2.sign", "native") / rate("sm2.sign", "sm-crypto-v2"), 2)
budget(
  "native sm2.verify / sm-crypto-v2",
  rate("sm2.verify", "native") / rate("sm2.verify", "sm-crypto-v2"),
  2,
)
budget("native sm3.64B / reference", rate("sm3.64B", "native") / rate("sm3.64B", "reference"), 3)
budget("native sm3.1KiB / reference", rate("sm3.1KiB", "native") / rate("sm3.1KiB", "reference"), 3)
budget("native sm4.block / reference", rate("sm4.block", "native") / rate("sm4.block", "reference"), 3)
budget(
  "native sm4.cbc.1KiB / reference",
  rate("sm4.cbc.1KiB", "native") / rate("sm4.cbc.1KiB", "reference"),
  3,
)
