/**
 * Modular arithmetic on BigInt shared by both SM2 layers. Only the pieces whose textbook form is
 * already the fast form live here; the point arithmetic of each layer is its own.
 */

/** The least non-negative residue of x modulo m (BigInt `%` keeps the sign of x). */
export const mod = (x: bigint, m: bigint): bigint => {
  const r = x % m
  return r < 0n ? r + m : r
}

/**
 * a⁻¹ mod m by the extended Euclidean algorithm (GB/T 32918.1 Annex B.1.3 allows any inversion
 * method). Plain variables instead of destructured pairs: this runs once per signature and the
 * array allocations of `[a, b] = [b, a - q * b]` cost about a third of its time in V8.
 * Throws when a ≡ 0 (mod m): callers only invert values they have checked to be non-zero.
 */
export const invertMod = (a: bigint, m: bigint): bigint => {
  let r0 = mod(a, m)
  if (r0 === 0n) throw new RangeError("invertMod: zero has no inverse")
  let r1 = m
  let x0 = 1n
  let x1 = 0n
  while (r1 !== 0n) {
    const q = r0 / r1
    const r2 = r0 - q * r1
    r0 = r1
    r1 = r2
    const x2 = x0 - q * x1
    x0 = x1
    x1 = x2
  }
  if (r0 !== 1n) throw new RangeError("invertMod: not invertible (modulus not prime?)")
  return x0 < 0n ? x0 + m : x0
}
