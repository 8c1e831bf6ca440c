// Proves that both crypto layers derive the published SCP02/SCP03 session keys and card/host cryptograms.
import { describe, expect, it } from "vitest"
import { concat } from "../../../model/bytes/bytes.ts"
import { toHex } from "../../../model/bytes/hex.ts"
import { SCP02_CONSTANTS, scp02SessionKey, scp02SessionKeys } from "../../../model/crypto/kdf-scp02.ts"
import { SCP03_CONSTANTS, scp03Kdf } from "../../../model/crypto/kdf-scp03.ts"
import { mac9797Alg1 } from "../../../model/crypto/mac.ts"
import { bytesField, CRYPTOS, loadVectors } from "./vector-files.ts"

const statics = (v: Readonly<Record<string, unknown>>) => ({
  enc: bytesField(v, "static_enc_hex"),
  mac: bytesField(v, "static_mac_hex"),
  dek: bytesField(v, "static_dek_hex"),
})

describe.each(CRYPTOS)("$name layer", (crypto) => {
  it.each(loadVectors("gp_scp02_kdf"))("gp_scp02_kdf $id", (v) => {
    const keys = scp02SessionKeys(crypto, statics(v), bytesField(v, "sequence_counter_hex"))
    expect(toHex(keys.sEnc)).toBe(v.s_enc_hex)
    expect(toHex(keys.sMac)).toBe(v.s_mac_hex)
    expect(toHex(keys.sRmac)).toBe(v.s_rmac_hex)
    expect(toHex(keys.sDek)).toBe(v.s_dek_hex)
    const single = scp02SessionKey(
      crypto,
      statics(v).mac,
      SCP02_CONSTANTS.C_MAC,
      bytesField(v, "sequence_counter_hex"),
    )
    expect(toHex(single)).toBe(v.s_mac_hex)
  })

  it.each(loadVectors("gp_scp02"))("gp_scp02 session set-up $id", (v) => {
    const response = bytesField(v, "initialize_update_response_hex")
    const hostChallenge = bytesField(v, "host_challenge_hex")
    const seq = response.subarray(12, 14)
    const cardChallenge = response.subarray(14, 20)
    const keys = scp02SessionKeys(crypto, statics(v), seq)
    expect([toHex(keys.sEnc), toHex(keys.sMac), toHex(keys.sRmac), toHex(keys.sDek)]).toEqual([
      v.s_enc_hex,
      v.s_mac_hex,
      v.s_rmac_hex,
      v.s_dek_hex,
    ])
    const card = mac9797Alg1(crypto, "TDES", keys.sEnc, concat(hostChallenge, seq, cardChallenge), 2)
    const host = mac9797Alg1(crypto, "TDES", keys.sEnc, concat(seq, cardChallenge, hostChallenge), 2)
    expect(toHex(card)).toBe(v.card_cryptogram_hex)
    expect(toHex(card)).toBe(toHex(response.subarray(20, 28)))
    expect(toHex(host)).toBe(v.host_cryptogram_hex)
  })

  it.each(loadVectors("gp_scp03_kdf"))("gp_scp03_kdf $id", (v) => {
    const constant = bytesField(v, "derivation_constant_hex")[0]!
    const bits = v.output_length_bits as number
    const out = scp03Kdf(
      crypto,
      "AES",
      bytesField(v, "key_hex"),
      constant,
      bytesField(v, "context_hex"),
      bits,
    )
    expect(toHex(out)).toBe(v.output_hex)
  })

  it.each(loadVectors("gp_scp03"))("gp_scp03 session set-up $id", (v) => {
    const response = bytesField(v, "initialize_update_response_hex")
    const context = concat(bytesField(v, "host_challenge_hex"), response.subarray(13, 21))
    const keys = statics(v)
    const derive = (key: Uint8Array, constant: number, bits: number) =>
      scp03Kdf(crypto, "AES", key, constant, context, bits)
    const sMac = derive(keys.mac, SCP03_CONSTANTS.S_MAC, keys.mac.length * 8)
    expect(toHex(derive(keys.enc, SCP03_CONSTANTS.S_ENC, keys.enc.length * 8))).toBe(v.s_enc_hex)
    expect(toHex(sMac)).toBe(v.s_mac_hex)
    expect(toHex(derive(keys.mac, SCP03_CONSTANTS.S_RMAC, keys.mac.length * 8))).toBe(v.s_rmac_hex)
    const card = scp03Kdf(crypto, "AES", sMac, SCP03_CONSTANTS.CARD_CRYPTOGRAM, context, 64)
    expect(toHex(card)).toBe(v.card_cryptogram_hex)
    expect(toHex(card)).toBe(toHex(response.subarray(21, 29)))
    expect(toHex(scp03Kdf(crypto, "AES", sMac, SCP03_CONSTANTS.HOST_CRYPTOGRAM, context, 64))).toBe(
      v.host_cryptogram_hex,
    )
  })
})
