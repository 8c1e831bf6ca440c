// Proves the cluster URL's password cannot leak: the parsed URL prints as redacted, the shown form
// masks the password, bad URLs are rejected with messages that never echo the text, and
// withoutPassword scrubs a driver message that quotes the password (URL-encoded or not).
import { Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { parseClusterUrl, withoutPassword } from "../../../app/cluster/cluster-url.ts"

describe("--cluster URL", () => {
  it("keeps the password out of everything that can be printed", () => {
    const parsed = parseClusterUrl("postgres://twin:s3cr%40t@db.example:5433/sweeps")
    if (!parsed.ok) throw new Error(parsed.message)
    expect(parsed.value.shown).toBe("postgres://twin:***@db.example:5433/sweeps")
    expect(String(parsed.value.url)).not.toContain("s3cr")
    expect(JSON.stringify({ url: parsed.value.url })).not.toContain("s3cr")
    expect(Redacted.value(parsed.value.url)).toBe("postgres://twin:s3cr%40t@db.example:5433/sweeps")
    expect(withoutPassword("password authentication failed: s3cr@t", parsed.value)).toBe(
      "password authentication failed: ***",
    )
  })

  it("leaves a URL without a password as it is", () => {
    const parsed = parseClusterUrl("postgresql://twin@localhost/sweeps")
    expect(parsed.ok && parsed.value.shown).toBe("postgresql://twin@localhost/sweeps")
    expect(parsed.ok && withoutPassword("no password here", parsed.value)).toBe("no password here")
  })

  it("rejects what is not a PostgreSQL URL, naming --cluster and never echoing the text", () => {
    for (const [text, reason] of [
      ["not a url hunter2", /not a URL/],
      ["http://u:hunter2@h/db", /scheme http:/],
      ["postgres://u:hunter2@h", /no database/],
      ["postgres://u:hunter2@/db", /no host|not a URL/],
    ] as const) {
      const parsed = parseClusterUrl(text)
      expect(parsed.ok, text).toBe(false)
      if (parsed.ok) continue
      expect(parsed.message).toMatch(/^--cluster /)
      expect(parsed.message).toMatch(reason)
      expect(parsed.message).not.toContain("hunter2")
    }
  })
})
