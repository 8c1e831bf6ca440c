/**
 * Reads one vector's fields with a problem list instead of exceptions, and remembers which fields
 * it read, so that the runner can report unknown fields (vectors/README.md: a runner ignores them,
 * but a user checking their own HSM's vectors wants to know a field was not used).
 */
import { parseHex } from "../../model/bytes/hex.ts"

/** Envelope fields every vector carries; never reported as unknown. */
const ENVELOPE = new Set(["id", "source", "verified_here", "note"])

export class VectorFields {
  private readonly read = new Set<string>()
  private readonly children: VectorFields[] = []

  /** Nested readers share their parent's problem list and prefix their path to each problem. */
  constructor(
    private readonly record: Readonly<Record<string, unknown>>,
    readonly problems: string[] = [],
    private readonly path = "",
  ) {}

  has(name: string): boolean {
    this.read.add(name)
    return this.record[name] !== undefined
  }

  hex(name: string, lengthBytes?: number): Uint8Array {
    const raw = this.raw(name)
    if (typeof raw !== "string") return this.problem(name, "a hex string", raw, new Uint8Array(0))
    const parsed = parseHex(raw)
    if (!parsed.ok) return this.problem(name, `hex (${parsed.error.message})`, raw, new Uint8Array(0))
    if (lengthBytes !== undefined && parsed.value.length !== lengthBytes) {
      return this.problem(name, `${lengthBytes} bytes`, `${parsed.value.length} bytes`, parsed.value)
    }
    return parsed.value
  }

  optionalHex(name: string): Uint8Array | undefined {
    return this.has(name) ? this.hex(name) : undefined
  }

  string(name: string): string {
    const raw = this.raw(name)
    return typeof raw === "string" ? raw : this.problem(name, "a string", raw, "")
  }

  integer(name: string): number {
    const raw = this.raw(name)
    return Number.isSafeInteger(raw) ? (raw as number) : this.problem(name, "an integer", raw, 0)
  }

  boolean(name: string): boolean {
    const raw = this.raw(name)
    return typeof raw === "boolean" ? raw : this.problem(name, "true or false", raw, false)
  }

  oneOf<const T extends string>(name: string, choices: ReadonlyArray<T>): T {
    const raw = this.raw(name)
    if (typeof raw === "string" && (choices as ReadonlyArray<string>).includes(raw)) return raw as T
    return this.problem(name, `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`, raw, choices[0]!)
  }

  /** A nested object (e.g. `curve_params`, `arpc`, a command entry) read with the same rules. */
  object(name: string): VectorFields {
    const raw = this.raw(name)
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      return this.child(name, raw as Record<string, unknown>)
    }
    return this.problem(name, "an object", raw, this.child(name, {}))
  }

  array(name: string): ReadonlyArray<VectorFields> {
    const raw = this.raw(name)
    if (!Array.isArray(raw)) return this.problem(name, "an array", raw, [])
    return raw.map((entry, i) =>
      this.child(`${name}[${i}]`, typeof entry === "object" && entry !== null ? entry : {}),
    )
  }

  /** Raw JSON value, for kinds with their own tree structure (ber_tlv `expected`). */
  raw(name: string): unknown {
    this.read.add(name)
    return this.record[name]
  }

  unknownFields(): string[] {
    return Object.keys(this.record)
      .filter((k) => !this.read.has(k) && !ENVELOPE.has(k))
      .map((k) => `${this.path}${k}`)
      .concat(this.children.flatMap((c) => c.unknownFields()))
  }

  private child(name: string, record: Record<string, unknown>): VectorFields {
    const child = new VectorFields(record, this.problems, `${this.path}${name}.`)
    this.children.push(child)
    return child
  }

  private problem<T>(name: string, expected: string, actual: unknown, fallback: T): T {
    const shown = actual === undefined ? "missing" : JSON.stringify(actual)?.slice(0, 60)
    this.problems.push(`${this.path}${name}: expected ${expected}, got ${shown}`)
    return fallback
  }
}
