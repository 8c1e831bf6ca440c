/**
 * RSA as EMV's offline data authentication uses it (EMV 4.3 Book 2 §5-§6, Annex A2.1): raw
 * ("textbook") public and private operations on blocks as long as the modulus — EMV's recovery
 * format carries its own header (6A), padding (BB) and trailer (BC), so no PKCS#1 padding is
 * applied — and key generation from an injected byte source, so that keys are a pure function of
 * a seed (DESIGN.md §4: no randomBytes in model/).
 *
 * BigInt arithmetic, private operations with the CRT. The twin's keys protect nothing real: the
 * generator aims at well-formed keys, not at side-channel resistance.
 */
import { bigintToBytes, bytesToBigint } from "../bytes/bytes.ts"

export interface RsaPublicKey {
  readonly modulus: Uint8Array
  /** EMV allows 3 and 2^16 + 1 (Book 2 §5.1). */
  readonly exponent: Uint8Array
}

export interface RsaPrivateKey extends RsaPublicKey {
  readonly p: Uint8Array
  readonly q: Uint8Array
  readonly dp: Uint8Array
  readonly dq: Uint8Array
  readonly qInv: Uint8Array
}

/** Book 2 Table A1: the largest modulus a certificate may carry is 248 bytes (1984 bits). */
export const RSA_MODULUS_BYTES_MAX = 248
export const RSA_MODULUS_BYTES_MIN = 64

export const modPow = (base: bigint, exponent: bigint, modulus: bigint): bigint => {
  let result = 1n
  let b = base % modulus
  let e = exponent
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus
    b = (b * b) % modulus
    e >>= 1n
  }
  return result
}

const modInverse = (a: bigint, m: bigint): bigint => {
  let [oldR, r] = [a % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const quotient = oldR / r
    ;[oldR, r] = [r, oldR - quotient * r]
    ;[oldS, s] = [s, oldS - quotient * s]
  }
  if (oldR !== 1n) throw new RangeError("no modular inverse")
  return ((oldS % m) + m) % m
}

/**
 * The CRT private key from its primes and public exponent: dp = e⁻¹ mod (p−1), dq = e⁻¹ mod
 * (q−1), qInv = q⁻¹ mod p (PKCS #1 §3.2), so a holder with little memory (a card) can keep only p
 * and q and derive the rest when it signs.
 */
export const rsaKeyFromPrimes = (p: Uint8Array, q: Uint8Array, exponent: Uint8Array): RsaPrivateKey => {
  const [bp, bq, e] = [bytesToBigint(p), bytesToBigint(q), bytesToBigint(exponent)]
  const width = p.length
  return {
    modulus: bigintToBytes(bp * bq, 2 * width),
    exponent,
    p,
    q,
    dp: bigintToBytes(modInverse(e, bp - 1n), width),
    dq: bigintToBytes(modInverse(e, bq - 1n), width),
    qInv: bigintToBytes(modInverse(bq, bp), width),
  }
}

/**
 * X^e mod n for a block of exactly the modulus length whose value is below the modulus; null
 * otherwise (a recovered certificate of the wrong length is an ODA failure, not a crash).
 */
export const rsaPublic = (key: RsaPublicKey, block: Uint8Array): Uint8Array | null => {
  const n = bytesToBigint(key.modulus)
  const x = bytesToBigint(block)
  if (block.length !== key.modulus.length || x >= n) return null
  return bigintToBytes(modPow(x, bytesToBigint(key.exponent), n), key.modulus.length)
}

/** X^d mod n with the CRT (Garner); the block must be below the modulus (a signer's bug otherwise). */
export const rsaPrivate = (key: RsaPrivateKey, block: Uint8Array): Uint8Array => {
  const n = bytesToBigint(key.modulus)
  const x = bytesToBigint(block)
  if (block.length !== key.modulus.length || x >= n)
    throw new RangeError("RSA input must be below the modulus")
  const p = bytesToBigint(key.p)
  const q = bytesToBigint(key.q)
  const m1 = modPow(x % p, bytesToBigint(key.dp), p)
  const m2 = modPow(x % q, bytesToBigint(key.dq), q)
  const h = (bytesToBigint(key.qInv) * ((m1 - m2 + p) % p)) % p
  return bigintToBytes(m2 + h * q, key.modulus.length)
}

const SMALL_PRIMES: ReadonlyArray<bigint> = (() => {
  const out: bigint[] = []
  for (let c = 3; out.length < 300; c += 2) {
    if (out.every((p) => c % Number(p) !== 0)) out.push(BigInt(c))
  }
  return out
})()

/**
 * Miller-Rabin with the first 24 odd primes as bases. For candidates drawn from a byte stream (not
 * chosen by an adversary) the chance that a composite passes 24 rounds is below 2^-48.
 */
const isProbablePrime = (n: bigint): boolean => {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p
  let d = n - 1n
  let s = 0
  while ((d & 1n) === 0n) {
    d >>= 1n
    s++
  }
  witness: for (const a of SMALL_PRIMES.slice(0, 24)) {
    let x = modPow(a, d, n)
    if (x === 1n || x === n - 1n) continue
    for (let i = 1; i < s; i++) {
      x = (x * x) % n
      if (x === n - 1n) continue witness
    }
    return false
  }
  return true
}

/** Candidates tried before a prime search gives up: ~ln(2^512) / 2 ≈ 177 are expected. */
const PRIME_CANDIDATES_MAX = 20_000

/** A prime of `bits` bits (top two bits set, so p·q has exactly 2·bits bits) with gcd(p-1, e) = 1. */
const primeFrom = (draw: (length: number) => Uint8Array, bits: number, e: bigint): bigint => {
  const bytes = draw(bits / 8)
  bytes[0]! |= 0xc0
  bytes[bytes.length - 1]! |= 0x01
  let candidate = bytesToBigint(bytes)
  for (let i = 0; i < PRIME_CANDIDATES_MAX; i++, candidate += 2n) {
    if ((candidate - 1n) % e !== 0n && isProbablePrime(candidate)) return candidate
  }
  throw new Error(`no ${bits}-bit prime within ${PRIME_CANDIDATES_MAX} candidates: the byte source is broken`)
}

/**
 * An RSA key of `modulusBytes` (a multiple of 2) with public exponent e, from a byte source:
 * the same source gives the same key. Exponent 3 needs primes p ≢ 1 (mod 3), enforced above.
 */
export const generateRsaKey = (
  draw: (length: number) => Uint8Array,
  modulusBytes: number,
  exponent: 3 | 65537 = 3,
): RsaPrivateKey => {
  if (modulusBytes % 2 !== 0 || modulusBytes < RSA_MODULUS_BYTES_MIN || modulusBytes > RSA_MODULUS_BYTES_MAX)
    throw new RangeError(
      `RSA modulus of ${modulusBytes} bytes: even, ${RSA_MODULUS_BYTES_MIN}..${RSA_MODULUS_BYTES_MAX}`,
    )
  const e = BigInt(exponent)
  const half = modulusBytes * 4
  let p = primeFrom(draw, half, e)
  let q = primeFrom(draw, half, e)
  if (p === q) throw new Error("equal RSA primes: the byte source is broken")
  if (p < q) [p, q] = [q, p]
  const d = modInverse(e, (p - 1n) * (q - 1n))
  const width = modulusBytes / 2
  return {
    modulus: bigintToBytes(p * q, modulusBytes),
    exponent: bigintToBytes(e, exponent === 3 ? 1 : 3),
    p: bigintToBytes(p, width),
    q: bigintToBytes(q, width),
    dp: bigintToBytes(d % (p - 1n), width),
    dq: bigintToBytes(d % (q - 1n), width),
    qInv: bigintToBytes(modInverse(q, p), width),
  }
}
