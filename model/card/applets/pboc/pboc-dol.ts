/**
 * The DOLs the card announces and how it reads the data the terminal fills them with. The PDOL
 * sits in the personalized FCI (9F38 inside A5), CDOL1 and CDOL2 in the personalized records
 * (8C, 8D), so the card reads them from its image rather than fixing them in code.
 */
import { err, ok, type Result } from "../../../bytes/result.ts"
import { decodeTlv, findTag } from "../../../tlv/ber-tlv.ts"
import { parseDol, splitDolData } from "../../../tlv/dol.ts"
import { allRecords, fciProprietary } from "./pboc-image.ts"

/** The DOL under `tag` in the FCI (9F38) or in any record (8C, 8D); empty when absent. */
export const announcedDol = (image: Uint8Array, tag: number): Uint8Array => {
  const sources = tag === 0x9f38 ? [fciProprietary(image)] : allRecords(image).map((r) => r.data)
  for (const bytes of sources) {
    const decoded = decodeTlv(bytes)
    if (!decoded.ok) continue
    const found = findTag(decoded.value, tag)
    if (found !== undefined) return found.value
  }
  return new Uint8Array(0)
}

/**
 * Splits DOL-formatted data into values by tag. A length that does not match the DOL is the
 * terminal's error, answered 6700 by the caller (EMV 4.3 Book 3 §6.5.8.4 for GPO).
 */
export const readDolData = (
  image: Uint8Array,
  tag: number,
  data: Uint8Array,
): Result<Map<number, Uint8Array>, "length"> => {
  const dol = parseDol(announcedDol(image, tag))
  if (!dol.ok) return err("length")
  const split = splitDolData(dol.value, data)
  return split.ok ? ok(new Map(split.value)) : err("length")
}
