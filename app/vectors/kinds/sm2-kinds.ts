/** Checkers for the SM2 kinds (vectors/README.md: sm2_sign, sm2_encrypt, sm2_x509_chain). */
import { bigintToBytes, bytesToBigint } from "../../../model/bytes/bytes.ts"
import type { Sm2Curve } from "../../../model/crypto/sm2/sm2.ts"
import { verifyChain } from "../../../model/crypto/x509/verify-chain.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"
import type { VectorFields } from "../vector-fields.ts"

const readCurve = (f: VectorFields): Sm2Curve => {
  const c = f.object("curve_params")
  const read = (name: string): bigint => bytesToBigint(c.hex(name, 32))
  return { p: read("p"), a: read("a"), b: read("b"), gx: read("gx"), gy: read("gy"), n: read("n") }
}

const scalar = (value: bigint): Uint8Array => bigintToBytes(value, 32)

export const sm2SignChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const curve = readCurve(f)
    const userId = f.hex("user_id_hex")
    const message = f.hex("message_hex")
    const publicKey = {
      x: bytesToBigint(f.hex("public_key_x_hex", 32)),
      y: bytesToBigint(f.hex("public_key_y_hex", 32)),
    }
    const d = f.has("private_key_hex") ? bytesToBigint(f.hex("private_key_hex", 32)) : undefined
    const k = f.has("k_hex") ? bytesToBigint(f.hex("k_hex", 32)) : undefined
    const za = f.optionalHex("za_hex")
    const signature = { r: bytesToBigint(f.hex("r_hex", 32)), s: bytesToBigint(f.hex("s_hex", 32)) }
    const expectedVerify = f.boolean("expected_verify")
    if (f.problems.length > 0) return m.list
    if (za !== undefined) m.bytes("za_hex", za, crypto.sm2.za(curve, userId, publicKey))
    if (d !== undefined && k !== undefined) {
      const made = crypto.sm2.sign(curve, d, userId, message, k)
      m.bytes("r_hex", scalar(signature.r), made === null ? null : scalar(made.r))
      m.bytes("s_hex", scalar(signature.s), made === null ? null : scalar(made.s))
    }
    m.value(
      "expected_verify",
      expectedVerify,
      crypto.sm2.verify(curve, publicKey, userId, message, signature),
    )
    return m.list
  },
}

export const sm2EncryptChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const curve = readCurve(f)
    const d = bytesToBigint(f.hex("private_key_hex", 32))
    const publicKey = {
      x: bytesToBigint(f.hex("public_key_x_hex", 32)),
      y: bytesToBigint(f.hex("public_key_y_hex", 32)),
    }
    const plaintext = f.hex("plaintext_hex")
    const k = f.has("k_hex") ? bytesToBigint(f.hex("k_hex", 32)) : undefined
    const ciphertext = f.hex("ciphertext_hex")
    if (ciphertext.length !== 97 + plaintext.length)
      f.problems.push("ciphertext_hex: expected 97 + len(plaintext) bytes")
    if (f.problems.length > 0) return m.list
    const derived = crypto.sm2.publicKeyOf(curve, d)
    m.value("public key = d·G", true, derived.x === publicKey.x && derived.y === publicKey.y)
    if (k !== undefined)
      m.bytes("ciphertext_hex", ciphertext, crypto.sm2.encrypt(curve, publicKey, plaintext, k))
    m.bytes("decrypt(ciphertext_hex)", plaintext, crypto.sm2.decrypt(curve, d, ciphertext))
    return m.list
  },
}

export const sm2X509ChainChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const caPem = f.string("ca_pem")
    const leafPem = f.string("leaf_pem")
    const userId = f.hex("user_id_hex")
    const expected = f.boolean("expected_verify")
    if (f.problems.length > 0) return m.list
    const result = verifyChain(crypto.sm2, caPem, leafPem, userId)
    m.value("expected_verify", expected, result.ok)
    return m.list
  },
}
