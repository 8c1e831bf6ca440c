/**
 * Checkers for the SCP02 kinds the twin adds to the vector format (test/vectors/README.md, "Kinds
 * added by the twin"): gp_scp02_card_challenge (the i = 55 pseudo-random card challenge) and
 * gp_scp02_rmac (the R-MAC chain of one R-MAC session), run through the card's own code.
 */
import { decodeCommand } from "../../../model/apdu/command.ts"
import { Scp02ResponseChain, scp02CardChallenge } from "../../../model/card/secure-channel/scp02.ts"
import { scp02SessionKeys } from "../../../model/crypto/kdf-scp02.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"

/** Only the static MAC key matters to both kinds; the derivation takes a whole key set. */
const macOnly = (mac: Uint8Array) => ({ enc: mac, mac, dek: mac })

export const gpScp02CardChallengeChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const mac = f.hex("static_mac_hex", 16)
    const seq = f.hex("sequence_counter_hex", 2)
    const aid = f.hex("aid_hex")
    const expectedSmac = f.hex("s_mac_hex", 16)
    const expected = f.hex("card_challenge_hex", 6)
    if (aid.length < 5 || aid.length > 16) f.problems.push("aid_hex: expected an AID of 5 to 16 bytes")
    if (f.problems.length > 0) return m.list
    m.bytes("s_mac_hex", expectedSmac, scp02SessionKeys(crypto, macOnly(mac), seq).sMac)
    m.bytes("card_challenge_hex", expected, scp02CardChallenge(crypto, macOnly(mac), seq, aid))
    return m.list
  },
}

export const gpScp02RmacChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const mac = f.hex("static_mac_hex", 16)
    const seq = f.hex("sequence_counter_hex", 2)
    const expectedSrmac = f.hex("s_rmac_hex", 16)
    const responses = f.array("responses")
    if (f.problems.length > 0) return m.list
    const sRmac = scp02SessionKeys(crypto, macOnly(mac), seq).sRmac
    m.bytes("s_rmac_hex", expectedSrmac, sRmac)
    const chain = new Scp02ResponseChain(crypto, sRmac)
    for (const [i, entry] of responses.entries()) {
      const command = decodeCommand(entry.hex("plain_apdu_hex"))
      const data = entry.hex("response_data_hex")
      const sw = entry.hex("sw_hex", 2)
      const expected = entry.hex("r_mac_hex", 8)
      if (!command.ok) {
        entry.problems.push(`responses[${i}].plain_apdu_hex: not a command APDU (${command.error.message})`)
        return m.list
      }
      if (sw.length !== 2) return m.list
      const rmac = chain.next(command.value, { data, sw: (sw[0]! << 8) | sw[1]! })
      m.bytes(`responses[${i}].r_mac_hex`, expected, rmac)
    }
    return m.list
  },
}
