/**
 * `--cluster postgres://user:password@host:port/database`: where a cluster keeps its shards,
 * messages and sweep ledger. The URL carries a password, so it is wrapped in `Redacted` at once
 * and only a masked form (`postgres://twin:***@host:5432/db`) is ever printed; errors about a bad
 * URL describe what is wrong without echoing the text, which may hold the password.
 */
import { Redacted } from "effect"

/** The environment variable a cluster URL may come from, so its password is not in the process list. */
export const CLUSTER_ENV = "TSM_TWIN_CLUSTER"

export interface ClusterUrl {
  /** The full URL for the driver; prints as `<redacted>`. */
  readonly url: Redacted.Redacted<string>
  /** The URL with any password replaced by `***`: safe for logs and reports. */
  readonly shown: string
}

export type ClusterUrlParse =
  | { readonly ok: true; readonly value: ClusterUrl }
  | { readonly ok: false; readonly message: string }

const EXPECTED = "expected postgres://user:password@host:port/database"

export const parseClusterUrl = (text: string): ClusterUrlParse => {
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    return { ok: false, message: `--cluster is not a URL: ${EXPECTED}` }
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
    return { ok: false, message: `--cluster has the scheme ${parsed.protocol} — ${EXPECTED}` }
  if (parsed.hostname === "") return { ok: false, message: `--cluster names no host: ${EXPECTED}` }
  if (parsed.pathname.length <= 1) return { ok: false, message: `--cluster names no database: ${EXPECTED}` }
  const masked = new URL(parsed.href)
  if (masked.password !== "") masked.password = "***"
  return { ok: true, value: { url: Redacted.make(parsed.href), shown: masked.href } }
}

/** Replaces every occurrence of the URL's password in `text` (for messages from the driver). */
export const withoutPassword = (text: string, cluster: ClusterUrl): string => {
  const password = decodeURIComponent(new URL(Redacted.value(cluster.url)).password)
  return password === "" ? text : text.split(password).join("***")
}
