/**
 * The pilot banks' own issuer master keys (IMK-AC, IMK-SMI, IMK-SMC per derivation key index),
 * derived from the run's `crypto.keySeed`, and the PANs they issue. The authorization host of the
 * user's bank verifies ARQCs and TCs with these keys — found from the PAN's BIN and the DKI the
 * card states in its IAD (9F10 byte 2, cryptogram-input.ts) — never with the card's own copy, so a
 * card personalized with a wrong key is declined (issue 12 item 3).
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import type { IssuerMasterKeys } from "../../../host/issuer/issuer-keys.ts"
import { hashEntropy } from "../../../host/pki/entropy.ts"
import { PILOT_BANKS, panOf as rosterPan } from "../../../parties/bank/bank-roster.ts"

const KEY_BYTES = 16

/** BIN ‖ 9-digit account serial ‖ Luhn digit (bank-roster.ts), the serial taken modulo 10⁹. */
export const panOf = (bin: string, serial: number): string => rosterPan(bin, serial % 1_000_000_000)

export class BankIssuerKeys {
  private readonly cache = new Map<string, IssuerMasterKeys>()

  constructor(
    private readonly crypto: Crypto,
    private readonly keySeed: string,
  ) {}

  /** The bank's IMKs of generation `dki`. */
  imks(bankId: string, dki: number): IssuerMasterKeys {
    const name = `${bankId}/${dki}`
    const known = this.cache.get(name)
    if (known !== undefined) return known
    const draw = hashEntropy(this.crypto, `${this.keySeed}/issuer/${name}`)
    const keys = {
      imkAc: draw("imk-ac").slice(0, KEY_BYTES),
      imkSmi: draw("imk-smi").slice(0, KEY_BYTES),
      imkSmc: draw("imk-smc").slice(0, KEY_BYTES),
    }
    this.cache.set(name, keys)
    return keys
  }

  /** Keys that belong to no bank: what a mis-personalized card carries (a planted defect). */
  wrongImks(user: number): IssuerMasterKeys {
    const draw = hashEntropy(this.crypto, `${this.keySeed}/not-an-issuer/${user}`)
    return {
      imkAc: draw("ac").slice(0, 16),
      imkSmi: draw("smi").slice(0, 16),
      imkSmc: draw("smc").slice(0, 16),
    }
  }

  /** The bank whose BIN starts the PAN; null for a PAN no pilot bank issued. */
  bankOfPan(pan: string): string | null {
    const bin = pan.slice(0, 6)
    return PILOT_BANKS.find((b) => b.bin === bin)?.id ?? null
  }
}
