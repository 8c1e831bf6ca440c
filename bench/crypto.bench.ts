/**
 * `npm run bench:crypto`: the native crypto layer against its peers, interleaved in CPU time
 * (rounds.ts says how). Budgets (DESIGN.md §5): native SM2 sign and verify each ≥ 2× sm-crypto-v2.
 * SM3 and SM4 are set against sm-crypto-v2 (≥ 3×, this benchmark's own line) and against direct
 * node:crypto calls, the floor under any OpenSSL-backed layer (layer overhead ≤ 20 %, also ours).
 *
 * What makes the comparisons like for like:
 * - Sign: both sides draw a fresh ephemeral k for every signature (the twin from a seeded stream,
 *   sm-crypto-v2 from its own RNG; v2's `pointPool` of precomputed k·G is not used). Both know the
 *   public key: v2 receives it as an option, the twin keeps it in its signing-key memo, which also
 *   holds (1 + d)⁻¹; the "memo cleared" line shows what that memo is worth.
 * - Verify under a key met again and again (the TSM's, MTPS's keys): the twin builds its per-key
 *   table on the key's second use; v2 is measured both plain and with `precomputePublicKey`, and
 *   the budget uses the stronger of the two.
 * - Verify under one-off keys (a card's): every call a key neither side has seen, so the twin's
 *   wNAF path runs against v2's plain path.
 */
import { createCipheriv, hash } from "node:crypto"
import * as smv2 from "sm-crypto-v2"
import { bigintToBytes } from "../model/bytes/bytes.ts"
import { toHex } from "../model/bytes/hex.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../model/crypto/reference-crypto.ts"
import { SM2P256V1 } from "../model/crypto/sm2/curve.ts"
import { fastCurveOf } from "../model/crypto/sm2/fast-curve-context.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../model/crypto/sm2/sm2.ts"
import { streamOf } from "../sim/rng/stream.ts"
import {
  budgetLine,
  type Contender,
  contextLine,
  type Figures,
  figureLine,
  interleaved,
  printLine,
} from "./rounds.ts"

const native = nativeCrypto
const curve = SM2P256V1
const { n } = curve
const USER_ID = "1234567812345678"

/** Fixed inputs: benchmarks are as reproducible as the twin (no ambient randomness in inputs). */
const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff)
const KEY16 = bytes(16, 1)
const IV16 = bytes(16, 2)
const MSG64 = bytes(64, 3)
const MSG1K = bytes(1024, 5)
const MSG1M = bytes(1 << 20, 8)
const BLOCK16 = bytes(16, 6)
const PRIVATE_KEY = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n

/** A fresh scalar in [1, n − 1] per call, from a seeded stream (eight 32-bit draws). */
const scalarSource = (purpose: string) => {
  const stream = streamOf(7, purpose)
  return (): bigint => {
    let x = 0n
    for (let i = 0; i < 8; i++) x = (x << 32n) | BigInt(stream.nextU32())
    return (x % (n - 1n)) + 1n
  }
}

const hex32 = (x: bigint): string => toHex(bigintToBytes(x, 32)).toLowerCase()
const publicHexOf = (p: Sm2Point): string => `04${hex32(p.x)}${hex32(p.y)}`

const compare = (op: string, contenders: Contender[], budgetMs = 300): Figures[] => {
  const figures = interleaved(contenders, { rounds: 3, budgetMs })
  for (const f of figures) printLine(figureLine("crypto", op, f))
  return figures
}

const byName = (figures: Figures[], name: string): Figures => figures.find((f) => f.name === name)!

const sign = (): void => {
  const privateHex = hex32(PRIVATE_KEY)
  const publicHex = smv2.sm2.getPublicKeyFromPrivateKey(privateHex)
  const options = { hash: true, publicKey: publicHex, userId: USER_ID }
  const k = scalarSource("sign-k")
  const signingKeys = fastCurveOf(curve).signingKeys
  const f = compare("sm2.sign", [
    { name: "native", run: () => native.sm2.sign(curve, PRIVATE_KEY, SM2_DEFAULT_USER_ID, MSG64, k()) },
    {
      name: "native, key memo cleared",
      run: () => {
        signingKeys.clear()
        return native.sm2.sign(curve, PRIVATE_KEY, SM2_DEFAULT_USER_ID, MSG64, k())
      },
    },
    { name: "sm-crypto-v2", run: () => smv2.sm2.doSignature(MSG64, privateHex, options) },
  ])
  printLine(
    budgetLine("crypto", "sm2.sign ≥ 2× sm-crypto-v2", byName(f, "native"), byName(f, "sm-crypto-v2"), 2),
  )
}

const verifyRepeatedKey = (): void => {
  const publicKey = native.sm2.publicKeyOf(curve, PRIVATE_KEY)
  const publicHex = publicHexOf(publicKey)
  const signature = native.sm2.sign(curve, PRIVATE_KEY, SM2_DEFAULT_USER_ID, MSG64, scalarSource("v-k")())!
  const signatureHex = hex32(signature.r) + hex32(signature.s)
  const precomputed = smv2.sm2.precomputePublicKey(publicHex)
  const options = { hash: true, userId: USER_ID }
  if (!smv2.sm2.doVerifySignature(MSG64, signatureHex, publicHex, options)) throw new Error("v2 rejects")
  const f = compare("sm2.verify.repeated-key", [
    { name: "native", run: () => native.sm2.verify(curve, publicKey, SM2_DEFAULT_USER_ID, MSG64, signature) },
    { name: "sm-crypto-v2", run: () => smv2.sm2.doVerifySignature(MSG64, signatureHex, publicHex, options) },
    {
      name: "sm-crypto-v2 precomputed key",
      run: () => smv2.sm2.doVerifySignature(MSG64, signatureHex, precomputed, options),
    },
  ])
  const plain = byName(f, "sm-crypto-v2")
  const pre = byName(f, "sm-crypto-v2 precomputed key")
  const stronger = Math.max(...pre.cpuOpsPerSec) >= Math.max(...plain.cpuOpsPerSec) ? pre : plain
  printLine(
    budgetLine("crypto", "sm2.verify, repeated key ≥ 2× the stronger v2", byName(f, "native"), stronger, 2),
  )
}

/** Keys and signatures that neither side has seen: each call takes the next one. */
const ONE_OFF_KEYS = 3_000

const verifyOneOffKeys = (): void => {
  const d = scalarSource("one-off-d")
  const k = scalarSource("one-off-k")
  const pool = Array.from({ length: ONE_OFF_KEYS }, () => {
    const privateKey = (d() % (n - 2n)) + 1n
    const publicKey = native.sm2.publicKeyOf(curve, privateKey)
    const signature = native.sm2.sign(curve, privateKey, SM2_DEFAULT_USER_ID, MSG64, k())!
    return {
      publicKey,
      signature,
      publicHex: publicHexOf(publicKey),
      sigHex: hex32(signature.r) + hex32(signature.s),
    }
  })
  // The signing memo would otherwise hand these keys to nothing; verify keeps its own key tables.
  fastCurveOf(curve).signingKeys.clear()
  const item = (i: number) => {
    if (i >= pool.length) throw new Error(`one-off key pool of ${pool.length} exhausted: raise ONE_OFF_KEYS`)
    return pool[i]!
  }
  const options = { hash: true, userId: USER_ID }
  const f = compare(
    "sm2.verify.one-off-key",
    [
      {
        name: "native",
        run: (i) => {
          const e = item(i)
          return native.sm2.verify(curve, e.publicKey, SM2_DEFAULT_USER_ID, MSG64, e.signature)
        },
      },
      {
        name: "sm-crypto-v2",
        run: (i) => {
          const e = item(i)
          return smv2.sm2.doVerifySignature(MSG64, e.sigHex, e.publicHex, options)
        },
      },
    ],
    150,
  )
  printLine(
    budgetLine(
      "crypto",
      "sm2.verify, one-off keys ≥ 2× sm-crypto-v2",
      byName(f, "native"),
      byName(f, "sm-crypto-v2"),
      2,
    ),
  )
}

/** SM3 and SM4: native layer, sm-crypto-v2, direct node:crypto (the floor) and the reference layer. */
const symmetric = (): void => {
  const floorSm4Ecb = createCipheriv("sm4-ecb", KEY16, null).setAutoPadding(false)
  const cases: Array<[string, Contender[]]> = [
    [
      "sm3.64B",
      [
        { name: "native", run: () => native.sm3(MSG64) },
        { name: "sm-crypto-v2", run: () => smv2.sm3(MSG64) },
        { name: "node:crypto", run: () => hash("sm3", MSG64, "buffer") },
        { name: "reference", run: () => referenceCrypto.sm3(MSG64) },
      ],
    ],
    [
      "sm3.1KiB",
      [
        { name: "native", run: () => native.sm3(MSG1K) },
        { name: "sm-crypto-v2", run: () => smv2.sm3(MSG1K) },
        { name: "node:crypto", run: () => hash("sm3", MSG1K, "buffer") },
        { name: "reference", run: () => referenceCrypto.sm3(MSG1K) },
      ],
    ],
    [
      "sm4.block",
      [
        { name: "native", run: () => native.encryptEcb("SM4", KEY16, BLOCK16) },
        {
          name: "sm-crypto-v2",
          run: () => smv2.sm4.encrypt(BLOCK16, KEY16, { padding: "none", output: "array" }),
        },
        // The floor: one reused OpenSSL context, one `update`, no copy (what the layer's cache aims at).
        { name: "node:crypto", run: () => floorSm4Ecb.update(BLOCK16) },
        {
          name: "node:crypto, new context per call",
          run: () => createCipheriv("sm4-ecb", KEY16, null).setAutoPadding(false).update(BLOCK16),
        },
        { name: "reference", run: () => referenceCrypto.encryptEcb("SM4", KEY16, BLOCK16) },
      ],
    ],
    [
      "sm4.cbc.1KiB",
      [
        { name: "native", run: () => native.encryptCbc("SM4", KEY16, IV16, MSG1K) },
        {
          name: "sm-crypto-v2",
          run: () =>
            smv2.sm4.encrypt(MSG1K, KEY16, { mode: "cbc", iv: IV16, padding: "none", output: "array" }),
        },
        // CBC with the caller's IV needs a context per IV in node:crypto's API.
        {
          name: "node:crypto",
          run: () => createCipheriv("sm4-cbc", KEY16, IV16).setAutoPadding(false).update(MSG1K),
        },
        { name: "reference", run: () => referenceCrypto.encryptCbc("SM4", KEY16, IV16, MSG1K) },
      ],
    ],
  ]
  for (const [op, contenders] of cases) {
    const f = compare(op, contenders, 200)
    const twin = byName(f, "native")
    // What the ≥ 3× line asks of the floor: if direct node:crypto cannot reach it against the
    // same peer, no OpenSSL-backed layer can (the TypeScript paths are measured as "native").
    printLine(
      contextLine(
        "crypto",
        `${op}: node:crypto ÷ sm-crypto-v2 (the floor)`,
        byName(f, "node:crypto"),
        byName(f, "sm-crypto-v2"),
      ),
    )
    printLine(
      budgetLine("crypto", `${op} ≥ 3× sm-crypto-v2 (this bench's line)`, twin, byName(f, "sm-crypto-v2"), 3),
    )
    printLine(
      budgetLine(
        "crypto",
        `${op} ≥ 0.8× direct node:crypto (layer overhead, this bench's line)`,
        twin,
        byName(f, "node:crypto"),
        0.8,
      ),
    )
  }
}

/**
 * SM3 over 1 MiB, where OpenSSL's per-call cost (fetching the digest, a context, a Buffer) is
 * spread over a thousand 1 KiB pieces: the per-byte speed of OpenSSL's C against sm-crypto-v2,
 * which shows how much of the 1 KiB ratio the call itself takes. Context only, no budget.
 */
const sm3Bulk = (): void => {
  const f = compare(
    "sm3.1MiB",
    [
      { name: "node:crypto", run: () => hash("sm3", MSG1M, "buffer") },
      { name: "sm-crypto-v2", run: () => smv2.sm3(MSG1M) },
    ],
    400,
  )
  printLine(
    contextLine(
      "crypto",
      "sm3.1MiB: node:crypto ÷ sm-crypto-v2 (OpenSSL's C without the per-call cost)",
      byName(f, "node:crypto"),
      byName(f, "sm-crypto-v2"),
    ),
  )
}

/** `npm run bench:crypto -- sm2` (or `sm3`/`sm4`, `sign`, `verify`) runs only the parts named. */
const only = process.argv.slice(2)
const wanted = (...tags: string[]): boolean => only.length === 0 || tags.some((t) => only.includes(t))
if (wanted("sm2", "sign")) sign()
if (wanted("sm2", "verify")) verifyRepeatedKey()
if (wanted("sm2", "verify")) verifyOneOffKeys()
if (wanted("sm3", "sm4", "symmetric")) symmetric()
if (wanted("sm3", "symmetric")) sm3Bulk()
