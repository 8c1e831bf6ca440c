/** Checkers for the GlobalPlatform key-derivation kinds (vectors/README.md: gp_scp02_kdf, gp_scp03_kdf). */
import { scp02SessionKeys } from "../../../model/crypto/kdf-scp02.ts"
import { scp03Kdf } from "../../../model/crypto/kdf-scp03.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"

export const gpScp02KdfChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const statics = {
      enc: f.hex("static_enc_hex", 16),
      mac: f.hex("static_mac_hex", 16),
      dek: f.hex("static_dek_hex", 16),
    }
    const seq = f.hex("sequence_counter_hex", 2)
    const expected = {
      sEnc: f.hex("s_enc_hex", 16),
      sMac: f.hex("s_mac_hex", 16),
      sRmac: f.hex("s_rmac_hex", 16),
      sDek: f.hex("s_dek_hex", 16),
    }
    if (f.problems.length > 0) return m.list
    const keys = scp02SessionKeys(crypto, statics, seq)
    m.bytes("s_enc_hex", expected.sEnc, keys.sEnc)
    m.bytes("s_mac_hex", expected.sMac, keys.sMac)
    m.bytes("s_rmac_hex", expected.sRmac, keys.sRmac)
    m.bytes("s_dek_hex", expected.sDek, keys.sDek)
    return m.list
  },
}

export const gpScp03KdfChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const key = f.hex("key_hex")
    const constant = f.hex("derivation_constant_hex", 1)
    const context = f.hex("context_hex")
    const lengthBits = f.integer("output_length_bits")
    const expected = f.hex("output_hex")
    if (![16, 24, 32].includes(key.length))
      f.problems.push("key_hex: expected an AES key of 16, 24 or 32 bytes")
    if (lengthBits <= 0 || lengthBits % 8 !== 0 || lengthBits > 0xffff) {
      f.problems.push("output_length_bits: expected a positive multiple of 8 below 65536")
    }
    if (f.problems.length > 0) return m.list
    m.bytes("output_hex", expected, scp03Kdf(crypto, "AES", key, constant[0]!, context, lengthBits))
    return m.list
  },
}
