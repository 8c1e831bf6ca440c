/**
 * The off-card side of DAP (GP 2.2 §9.2, Annex C.2; card side and the twin's SM2/SM3 profile in
 * card/applets/security-domain/sd-dap.ts): an application provider or the controlling authority
 * signs a load file's data block hash, and the TSM sends the file as DAP blocks followed by C4.
 */
import { type CommandApdu, command } from "../../apdu/command.ts"
import { bigintToBytes, concat } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import { KEY_TYPE_SM2_PUBLIC } from "../../card/applets/security-domain/sd-dap.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../../crypto/sm2/sm2.ts"
import { constructed, decodeTlv, encodeTlv, tlv } from "../../tlv/ber-tlv.ts"
import type { TokenSigner } from "./delegated-management.ts"

/** SM3 over the C4 value of a Load File Data Block given as its C4 TLV. */
export const loadFileHash = (crypto: Crypto, c4: Uint8Array): Result<Uint8Array, "not-a-c4-block"> => {
  const decoded = decodeTlv(c4)
  if (!decoded.ok || decoded.value.length !== 1 || decoded.value[0]!.tag !== 0xc4)
    return err("not-a-c4-block")
  return ok(crypto.sm3(decoded.value[0]!.value))
}

/** `E2 { 4F SD AID, C3 r‖s }`: one domain's DAP over the hash. */
export const dapBlock = (
  crypto: Crypto,
  signer: TokenSigner,
  sdAid: Uint8Array,
  hash: Uint8Array,
): Uint8Array => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const sig = crypto.sm2.sign(SM2P256V1, signer.privateKey, SM2_DEFAULT_USER_ID, hash, signer.nextK())
    if (sig !== null) {
      const rs = concat(bigintToBytes(sig.r, 32), bigintToBytes(sig.s, 32))
      return encodeTlv(constructed(0xe2, [tlv(0x4f, sdAid), tlv(0xc3, rs)]))
    }
  }
  throw new RangeError("eight SM2 nonces in a row were unusable: the k stream is broken")
}

/** PUT KEY P2 01 giving a domain its DAP verification key (the twin's key type B1, no KCV). */
export const putDapKey = (kvn: number, key: Sm2Point): CommandApdu =>
  command(
    0x80,
    0xd8,
    0x00,
    0x01,
    concat(
      Uint8Array.of(kvn, KEY_TYPE_SM2_PUBLIC, 65, 0x04),
      bigintToBytes(key.x, 32),
      bigintToBytes(key.y, 32),
      Uint8Array.of(0),
    ),
    256,
  )
