// Proves the GP Amendment B messages of HTTP admin: the agent's first POST has the admin headers
// and no body, the server's 200 carries the script as `AE 80 … 00 00` with its content type, next
// URI and targeted application, the agent's next POST carries the responses as `AF 80 … 00 00`
// with the response content type and script status, and 204 ends; every message parses back with
// its Content-Length exact; malformed bodies (wrong template, missing end, an item past the end)
// are refused; a TLS record grows to whole 16-byte blocks plus header, IV and MAC.
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import {
  ADMIN_PROTOCOL,
  adminRequest,
  adminResponse,
  parseHttpMessage,
  RESPONSE_CONTENT_TYPE,
  readBody,
  responseBody,
  SCRIPT_CONTENT_TYPE,
  scriptBody,
  tlsRecordBytes,
} from "../../../model/ota/http-admin.ts"

const AGENT = {
  uri: "/gyt/admin",
  host: "ota.gyt.example",
  from: "//se-id/eid/89860012;//aa-id/aid/A000000151/000000",
}
const SCRIPT = [hex("00A4040008A000000151000000"), hex("80CA9F7F00"), hex("80E60C0420202020")]

describe("HTTP admin (GP Amendment B)", () => {
  it("frames a session: POST, 200 with the script, POST with the responses, 204", () => {
    const first = unwrap(parseHttpMessage(adminRequest(AGENT, AGENT.uri, null)), "POST 1")
    expect(first.startLine).toBe("POST /gyt/admin HTTP/1.1")
    expect(first.headers.get("x-admin-protocol")).toBe(ADMIN_PROTOCOL)
    expect(first.headers.get("x-admin-from")).toBe(AGENT.from)
    expect(first.body.length).toBe(0)
    const script = scriptBody(SCRIPT)
    const ok200 = unwrap(
      parseHttpMessage(adminResponse({ uri: "/gyt/admin?2", targetAid: hex("A000000151000000"), script })),
      "200",
    )
    expect(ok200.startLine).toBe("HTTP/1.1 200 OK")
    expect(ok200.headers.get("content-type")).toBe(SCRIPT_CONTENT_TYPE)
    expect(ok200.headers.get("x-admin-next-uri")).toBe("/gyt/admin?2")
    expect(ok200.headers.get("x-admin-targeted-application")).toBe("//aid/A000000151/000000")
    expect(toHex(ok200.body.subarray(0, 2))).toBe("AE80")
    expect(unwrap(readBody(ok200.body, 0xae), "script").map(toHex)).toEqual(SCRIPT.map(toHex))
    const answers = responseBody([hex("9000"), hex("9F7F01029000"), hex("6A80")])
    const second = unwrap(parseHttpMessage(adminRequest(AGENT, "/gyt/admin?2", answers)), "POST 2")
    expect(second.headers.get("content-type")).toBe(RESPONSE_CONTENT_TYPE)
    expect(second.headers.get("x-admin-script-status")).toBe("ok")
    expect(unwrap(readBody(second.body, 0xaf), "answers").map(toHex)).toEqual([
      "9000",
      "9F7F01029000",
      "6A80",
    ])
    expect(unwrap(parseHttpMessage(adminResponse(null)), "204").startLine).toBe("HTTP/1.1 204 No Content")
  })

  it("refuses malformed bodies and messages", () => {
    const body = scriptBody(SCRIPT)
    expect(readBody(body, 0xaf)).toEqual({ ok: false, error: "malformed" })
    expect(readBody(body.subarray(0, body.length - 1), 0xae)).toEqual({ ok: false, error: "malformed" })
    const past = body.slice()
    past[3] = 0x7f // the first item claims more bytes than the body has
    expect(readBody(past, 0xae)).toEqual({ ok: false, error: "malformed" })
    const long = scriptBody([new Uint8Array(300)])
    expect(toHex(long.subarray(2, 6))).toBe("2282012C")
    expect(unwrap(readBody(long, 0xae), "long")[0]!.length).toBe(300)
    const message = adminRequest(AGENT, "/x", responseBody([hex("9000")]))
    expect(parseHttpMessage(message.subarray(0, message.length - 1))).toEqual({
      ok: false,
      error: "malformed",
    })
  })

  it("counts TLS record bytes as header, IV, MAC and padding to a whole block", () => {
    expect(tlsRecordBytes(0)).toBe(5 + 16 + 48)
    expect(tlsRecordBytes(15)).toBe(5 + 16 + 48)
    expect(tlsRecordBytes(16)).toBe(5 + 16 + 64)
    for (let n = 0; n < 100; n++) expect((tlsRecordBytes(n) - 21) % 16).toBe(0)
  })
})
