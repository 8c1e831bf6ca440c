// Proves that the OTA secured-packet kinds (pySim's public vectors, two with PoRs from real cards)
// pass on both layers, and that each check can fail: a changed command packet byte, a changed PoR
// byte and a PoR marked valid whose CC is wrong are all reported.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { KIND_CHECKERS } from "../../../app/vectors/kind-checkers.ts"
import { VectorFields } from "../../../app/vectors/vector-fields.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../model/crypto/reference-crypto.ts"

type Vector = Record<string, unknown>
const load = (kind: string): Vector[] =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../../vectors", `${kind}.json`), "utf8")).vectors
const run = (kind: string, v: Vector): string =>
  [nativeCrypto, referenceCrypto]
    .flatMap((c) => {
      const fields = new VectorFields(v)
      return [...KIND_CHECKERS[kind]!.check(fields, c), ...fields.problems]
    })
    .join("\n")
const flip = (text: string, at: number): string =>
  text.slice(0, at) + (text[at] === "0" ? "1" : "0") + text.slice(at + 1)

describe("ota_sms_command / ota_sms_response", () => {
  it("pass every vector as published", () => {
    for (const kind of ["ota_sms_command", "ota_sms_response"]) {
      for (const v of load(kind)) expect(run(kind, v), String(v.id)).toBe("")
    }
  })

  it("report a changed command packet, a changed PoR and a wrong CC claimed valid", () => {
    const command = load("ota_sms_command")[0]!
    const packet = String(command.command_packet_hex)
    expect(
      run("ota_sms_command", { ...command, command_packet_hex: flip(packet, packet.length - 1) }),
    ).toContain("command_packet_hex")
    const response = load("ota_sms_response")[1]!
    const userData = String(response.user_data_hex)
    expect(
      run("ota_sms_response", { ...response, user_data_hex: flip(userData, userData.length - 5) }),
    ).toContain("refused (checksum)")
    const wrong = load("ota_sms_response").find((v) => v.expected_valid === false)!
    expect(
      run("ota_sms_response", {
        ...wrong,
        expected_valid: true,
        tar_hex: "B00011",
        counter_hex: "0000000000",
        status_hex: "00",
        additional_data_hex: "02612F",
      }),
    ).toContain("refused (checksum)")
  })
})
