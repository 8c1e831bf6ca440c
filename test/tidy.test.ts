/**
 * Proves the style rules that are checkable by reading files (STYLE.md rule 11, after TigerBeetle's
 * tidy.zig): DESIGN.md §3's import rules, DESIGN.md §4's ban on ambient nondeterminism in the
 * engine and the domain, and the size limits on files and functions.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, resolve, sep } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "..")
const FILE_LINES_MAX = 500
const FUNCTION_LINES_MAX = 70

/**
 * Every file below a folder, whatever its kind (for rules about what may live there), installed
 * packages left out (app/node_modules: the control plane's Node-only packages, app/package.json).
 */
const allFiles = (dir: string): string[] => {
  const abs = join(ROOT, dir)
  let entries: string[]
  try {
    entries = readdirSync(abs)
  } catch {
    return []
  }
  return entries.flatMap((name) => {
    if (name === "node_modules") return []
    const path = join(abs, name)
    const rel = relative(ROOT, path).split(sep).join("/")
    return statSync(path).isDirectory() ? allFiles(rel) : [rel]
  })
}

/** The TypeScript and JavaScript files below a folder: what the code rules read. */
const sourceFiles = (dir: string): string[] => allFiles(dir).filter((f) => /\.(ts|mts|js|mjs)$/.test(f))

/** Strips comments and string contents so that rules look at code only. */
const codeOf = (text: string): string =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "))
    // A line comment, but not the "//" of a URL ("http://…" inside a string or template).
    .replace(/(^|[^:])\/\/[^\n]*/g, "$1")
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, " "))

const importsOf = (text: string): string[] =>
  [
    ...text.matchAll(/(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2])!)

/** The project folder an import lands in, e.g. "model/crypto", or "npm" for packages. */
const targetOf = (file: string, spec: string): string => {
  if (!spec.startsWith(".")) return spec.startsWith("node:") ? "node" : "npm"
  const abs = resolve(ROOT, file, "..", spec)
  return relative(ROOT, abs).split(sep).join("/")
}

/** DESIGN.md §3: which project folders each folder may import from (itself always allowed). */
const RULES: ReadonlyArray<{ from: string; allowed: ReadonlyArray<string>; why: string }> = [
  { from: "sim/", allowed: ["sim/"], why: "the engine is generic and never imports the domain" },
  { from: "model/bytes/", allowed: [], why: "bytes imports nothing" },
  { from: "model/calendar/", allowed: [], why: "calendar arithmetic imports nothing" },
  { from: "model/tlv/", allowed: ["model/bytes/"], why: "tlv imports only bytes" },
  { from: "model/apdu/", allowed: ["model/bytes/"], why: "apdu imports only bytes" },
  { from: "model/crypto/", allowed: ["model/bytes/"], why: "crypto imports only bytes" },
  {
    from: "model/card/",
    allowed: ["model/bytes/", "model/tlv/", "model/apdu/", "model/crypto/"],
    why: "card imports only bytes/tlv/apdu/crypto",
  },
  { from: "model/audit/", allowed: ["model/signals/", "model/bytes/"], why: "audit reads signals only" },
  {
    from: "model/parties/",
    allowed: [
      "model/bytes/",
      "model/tlv/",
      "model/apdu/",
      "model/crypto/",
      "model/card/card.ts",
      "model/card/profile.ts",
      "model/card/applets/",
      // The secure-channel protocols are shared by the card and the host side (wrap on one, unwrap
      // on the other); applet.ts names the protocols and security levels both sides speak.
      "model/card/secure-channel/",
      "model/card/applet.ts",
      "model/host/",
      "model/signals/",
      "model/population/",
      "sim/kernel/port.ts",
    ],
    why: "parties see cards through card/card.ts and host/, the kernel only through sim/kernel/port.ts",
  },
  {
    from: "model/population/",
    allowed: ["model/bytes/", "model/calendar/", "sim/rng/", "sim/kernel/port.ts"],
    why: "users are functions of (seed, index): population draws from sim/rng streams, nothing else",
  },
  {
    from: "model/world/",
    allowed: ["model/", "sim/"],
    why: "model/world is the data plane's composition root: the domain and the engine, never app/",
  },
  {
    from: "model/",
    allowed: ["model/", "sim/kernel/port.ts"],
    why: "the domain sees the engine only through sim/kernel/port.ts and never imports app/",
  },
  {
    from: "app/",
    allowed: ["sim/", "model/"],
    why: "the control plane may import everything but the viewer",
  },
  {
    from: "bench/",
    allowed: ["sim/", "model/", "app/", "test/viewer/browser.ts"],
    why: "benchmarks measure the twin (a browser benchmark launches chromium as the browser tests do)",
  },
  {
    from: "viewer/",
    allowed: ["sim/server/protocol", "model/signals/"],
    why: "the viewer sees the protocol and signals",
  },
]

/** Packages a folder may not use, whatever its project imports (the data plane stays plain). */
const PACKAGE_BANS: ReadonlyArray<{ from: string; pkg: RegExp; why: string }> = [
  { from: "model/bytes/", pkg: /.*/, why: "bytes imports nothing" },
]

describe("tidy", () => {
  const files = ["sim", "model", "app", "viewer", "bench", "scripts", "bin"].flatMap(sourceFiles)

  it("finds the project's source files", () => {
    expect(files.some((f) => f.startsWith("model/"))).toBe(true)
    expect(files.some((f) => f.startsWith("app/"))).toBe(true)
  })

  it("keeps scenarios/ to scenario files only (DESIGN.md §3)", () => {
    const notJson = allFiles("scenarios").filter((f) => !f.endsWith(".json"))
    expect(notJson).toEqual([])
  })

  it("keeps DESIGN.md §3's import rules", () => {
    const violations: string[] = []
    for (const file of files) {
      const rule = RULES.find((r) => file.startsWith(r.from))
      if (rule === undefined) continue
      for (const spec of importsOf(readFileSync(join(ROOT, file), "utf8"))) {
        const target = targetOf(file, spec)
        if (target === "npm" || target === "node") {
          const ban = PACKAGE_BANS.find((b) => file.startsWith(b.from) && b.pkg.test(spec))
          if (ban !== undefined) violations.push(`${file} imports ${spec}: ${ban.why}`)
          continue
        }
        const own = rule.from
        const ok = target.startsWith(own) || rule.allowed.some((a) => target.startsWith(a))
        if (!ok) violations.push(`${file} imports ${spec}: ${rule.why}`)
      }
      if (
        file.startsWith("sim/") &&
        /from\s+["'](\.\.\/)+model\//.test(readFileSync(join(ROOT, file), "utf8"))
      ) {
        violations.push(`${file}: sim imports model`)
      }
    }
    expect(violations).toEqual([])
  })

  it("bans ambient nondeterminism in sim/ and model/ (DESIGN.md §4)", () => {
    const banned =
      /\bMath\.random\s*\(|\bDate\.now\s*\(|\bnew\s+Date\s*\(|\bperformance\.now\s*\(|\brandomBytes\s*\(|\bcrypto\.getRandomValues\s*\(|\brandomUUID\s*\(/
    const violations = files
      .filter((f) => f.startsWith("sim/") || f.startsWith("model/"))
      .flatMap((file) =>
        codeOf(readFileSync(join(ROOT, file), "utf8"))
          .split("\n")
          .flatMap((line, i) => (banned.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      )
    expect(violations).toEqual([])
  })

  it("keeps files short", () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > FILE_LINES_MAX)
      .map(({ file, lines }) => `${file}: ${lines} lines (max ${FILE_LINES_MAX})`)
    expect(long).toEqual([])
  })

  it(`keeps functions in sim/, model/ and app/ within ${FUNCTION_LINES_MAX} lines (STYLE.md rule 8)`, () => {
    const long = files
      .filter((f) => f.startsWith("sim/") || f.startsWith("model/") || f.startsWith("app/"))
      .flatMap((file) => longFunctions(file, codeOf(readFileSync(join(ROOT, file), "utf8"))))
    expect(long).toEqual([])
  })

  it("has no utils/common/misc/helpers folders and no barrel files in sim/ and model/", () => {
    const bad = files.filter(
      (f) =>
        /(^|\/)(utils|common|misc|helpers)\//.test(f) ||
        ((f.startsWith("sim/") || f.startsWith("model/")) && /(^|\/)index\.(ts|js)$/.test(f)),
    )
    expect(bad).toEqual([])
  })
})

/**
 * A function starts at a line that declares one (function keyword, arrow with a block body, or a
 * method/getter with a block) and ends at the brace that closes the one it opened.
 */
const longFunctions = (file: string, code: string): string[] => {
  const lines = code.split("\n")
  const opener =
    /\bfunction\b[^;]*\{\s*$|=>\s*\{\s*$|^\s*(?:(?:public|private|protected|static|readonly|async|get|set|\*)\s+)*[A-Za-z_$][\w$]*\s*(?:<[^>]*>)?\([^;]*\)\s*(?::[^=;{]+)?\{\s*$/
  const found: string[] = []
  for (let start = 0; start < lines.length; start++) {
    const line = lines[start]!
    if (!opener.test(line) || /^\s*(if|for|while|switch|catch|else|do|return)\b/.test(line)) continue
    let depth = 0
    for (let end = start; end < lines.length; end++) {
      for (const ch of lines[end]!) depth += ch === "{" ? 1 : ch === "}" ? -1 : 0
      if (depth <= 0 && end > start) {
        const length = end - start + 1
        if (length > FUNCTION_LINES_MAX) found.push(`${file}:${start + 1}: function of ${length} lines`)
        break
      }
    }
  }
  return found
}
