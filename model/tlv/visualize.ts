/**
 * A readable tree of decoded TLVs for logs, the CLI and the viewer's APDU inspector: one node per
 * line, indented two spaces per level, `TAG (length)` then the value hex for primitive objects and
 * the tag's name after an em dash when it has one.
 *
 *     E3 (13) — GP registry entry
 *       4F (7) A0000000035350 — AID
 *       9F70 (1) 01 — life cycle state
 */
import { toHex } from "../bytes/hex.ts"
import { type Tlv, tagBytes } from "./ber-tlv.ts"
import { TAG_NAMES } from "./tag-names.ts"
import { VISUALIZE_VALUE_BYTES_MAX } from "./tlv-limits.ts"

/** The value hex, elided past VISUALIZE_VALUE_BYTES_MAX so one certificate cannot flood a log. */
const valueText = (value: Uint8Array): string => {
  if (value.length <= VISUALIZE_VALUE_BYTES_MAX) return toHex(value)
  const rest = value.length - VISUALIZE_VALUE_BYTES_MAX
  return `${toHex(value.subarray(0, VISUALIZE_VALUE_BYTES_MAX))}… (+${rest} bytes)`
}

const appendLines = (
  lines: string[],
  items: ReadonlyArray<Tlv>,
  depth: number,
  names: ReadonlyMap<number, string> | undefined,
): void => {
  for (const item of items) {
    const name = names?.get(item.tag) ?? TAG_NAMES.get(item.tag)
    const head = `${"  ".repeat(depth)}${toHex(tagBytes(item.tag))} (${item.value.length})`
    const value = item.children === undefined && item.value.length > 0 ? ` ${valueText(item.value)}` : ""
    lines.push(`${head}${value}${name === undefined ? "" : ` — ${name}`}`)
    if (item.children !== undefined) appendLines(lines, item.children, depth + 1, names)
  }
}

/**
 * Renders `items` as an indented tree. `names` adds or overrides names (for a proprietary
 * template, say); the built-in table (tag-names.ts) covers the common EMV, PBOC and GP tags.
 */
export const visualizeTlv = (items: ReadonlyArray<Tlv>, names?: ReadonlyMap<number, string>): string => {
  const lines: string[] = []
  appendLines(lines, items, 0, names)
  return lines.join("\n")
}
