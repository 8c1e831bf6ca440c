/**
 * The SCP03 session state shared by the host and card sides (GP Amd D §6.2): session keys and
 * cryptograms from the KDF, the C-MAC chaining value, the encryption counter and its ICVs. Used by
 * scp03.ts for AES and, through it, by sm4-profile.ts for SM4.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import { concat } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import { cmac } from "../../crypto/cmac.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { scp03Kdf } from "../../crypto/kdf-scp03.ts"
import { padIso9797Method2, unpadIso9797Method2 } from "../../crypto/padding.ts"
import { CLA_SECURE_MESSAGING, type SessionKeys, type StaticKeys } from "./secure-channel.ts"

export type Scp03Cipher = "AES" | "SM4"

/**
 * The SCP identifier in the INITIALIZE UPDATE response (byte 12) and in the card recognition data:
 * 03 for SCP03 (Amd D §7.1.1.2), and for the twin's SM4 profile F3 — the twin's own value, not a
 * GlobalPlatform assignment (GP assigns none to an SM4 channel), chosen outside the identifiers GP
 * uses (01, 02, 03, 10, 11, 80, 81) so that a host can tell an SM4 card from an AES one before it
 * computes anything (sm4-profile.ts).
 */
export const SCP_IDENTIFIER: Readonly<Record<Scp03Cipher, number>> = { AES: 0x03, SM4: 0xf3 }

/** Levels an SCP03 EXTERNAL AUTHENTICATE may request (Amd D §7.1.2.1 Table 7-4). */
export const SCP03_LEVELS: ReadonlySet<number> = new Set([0x00, 0x01, 0x03, 0x11, 0x13, 0x31, 0x33])

/** Derivation constants (Amd D §4.1.5 Table 4-1). */
const K = {
  cardCryptogram: 0x00,
  hostCryptogram: 0x01,
  cardChallenge: 0x02,
  sEnc: 0x04,
  sMac: 0x06,
  sRmac: 0x07,
}

/** Session keys and both cryptograms from the static keys and the two challenges (Amd D §6.2.1). */
export const scp03Session = (crypto: Crypto, cipher: Scp03Cipher, keys: StaticKeys, context: Uint8Array) => {
  const kdf = (key: Uint8Array, constant: number, bits: number) =>
    scp03Kdf(crypto, cipher, key, constant, context, bits)
  const sk: SessionKeys = {
    sEnc: kdf(keys.enc, K.sEnc, keys.enc.length * 8),
    sMac: kdf(keys.mac, K.sMac, keys.mac.length * 8),
    sRmac: kdf(keys.mac, K.sRmac, keys.mac.length * 8),
    sDek: keys.dek,
  }
  return {
    sk,
    cardCryptogram: kdf(sk.sMac, K.cardCryptogram, 64),
    hostCryptogram: kdf(sk.sMac, K.hostCryptogram, 64),
  }
}

/** Pseudo-random card challenge (Amd D §6.2.2.1): KDF(static ENC, 02, seq(3) ‖ SD AID), 64 bits. */
export const scp03CardChallenge = (
  crypto: Crypto,
  cipher: Scp03Cipher,
  enc: Uint8Array,
  seq: Uint8Array,
  aid: Uint8Array,
): Uint8Array => scp03Kdf(crypto, cipher, enc, K.cardChallenge, concat(seq, aid), 64)

/** The state both sides keep: MAC chaining value and encryption counter (Amd D §6.2.4, §6.2.6). */
export class Scp03State {
  private chain: Uint8Array = new Uint8Array(16)
  private counter = 0
  constructor(
    readonly crypto: Crypto,
    readonly cipher: Scp03Cipher,
    readonly sk: SessionKeys,
  ) {}

  /** Called once per command after EXTERNAL AUTHENTICATE, with or without data. */
  step(): void {
    this.counter += 1
  }

  commandMac(command: CommandApdu, body: Uint8Array): Uint8Array {
    const head = Uint8Array.of(
      command.cla | CLA_SECURE_MESSAGING,
      command.ins,
      command.p1,
      command.p2,
      body.length + 8,
    )
    this.chain = cmac(this.crypto, this.cipher, this.sk.sMac, concat(this.chain, head, body))
    return this.chain.subarray(0, 8)
  }

  responseMac(data: Uint8Array, sw: number): Uint8Array {
    const input = concat(this.chain, data, Uint8Array.of(sw >> 8, sw & 0xff))
    return cmac(this.crypto, this.cipher, this.sk.sRmac, input).subarray(0, 8)
  }

  /** ICV = E(S-ENC, counter); responses use the counter with its first byte set to 80. */
  icv(response: boolean): Uint8Array {
    const block = new Uint8Array(16)
    let rest = this.counter
    for (let i = 15; i >= 8 && rest > 0; i--, rest = Math.floor(rest / 256)) block[i] = rest % 256
    if (response) block[0] = 0x80
    return this.crypto.encryptEcb(this.cipher, this.sk.sEnc, block)
  }

  encrypt(data: Uint8Array, response: boolean): Uint8Array {
    return this.crypto.encryptCbc(this.cipher, this.sk.sEnc, this.icv(response), padIso9797Method2(data, 16))
  }

  decrypt(data: Uint8Array, response: boolean): Result<Uint8Array, "length" | "padding"> {
    if (data.length % 16 !== 0) return err("length")
    const plain = unpadIso9797Method2(
      this.crypto.decryptCbc(this.cipher, this.sk.sEnc, this.icv(response), data),
    )
    return plain.ok ? ok(plain.value) : err("padding")
  }

  /** Sensitive data (keys, DGIs) under the static DEK: CBC with a zero ICV (Amd D §7.2.2.3). */
  dataCipher(data: Uint8Array, decrypt: boolean): Uint8Array {
    const iv = new Uint8Array(16)
    return decrypt
      ? this.crypto.decryptCbc(this.cipher, this.sk.sDek, iv, data)
      : this.crypto.encryptCbc(this.cipher, this.sk.sDek, iv, data)
  }
}
