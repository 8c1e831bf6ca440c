/**
 * A held card's persistent image as its difference from a template image (held-card.ts): cards
 * personalized alike share most of their image — the registry, the applets' AIDs and file layout,
 * the PPSE and the PBOC records' constant parts — and differ in keys, PAN, counters and balance
 * (measured: 411 of 560 bytes at the same place are equal between two pilot cards). Holding only
 * the runs that differ brings a card's image from ≈ 560 B to ≈ 200 B, so a held card stays under
 * the 1 KiB budget (DESIGN.md §5) with room to spare.
 *
 * The template of each image length is the first image of that length this thread encodes; it is
 * per thread and never leaves it, so an encoded image must not cross threads (HeldCard.toWire
 * sends the raw image). Decoding is exact whatever the template: a lossless encoding, checked by
 * property tests, so no byte a card answers can depend on it.
 *
 * Encoding, one byte per element: 0 then the raw image (no template of its length), or 1, then
 * (same-run length, differing-run length, the differing bytes) triples until the image is covered;
 * each run is at most 255 bytes (a longer run is split, with an empty run between the halves).
 */

/** Templates kept per thread, at most (one per image length; the pilot's cards have a few lengths). */
export const TEMPLATES_MAX = 16
/** The longest image encoded against a template (a held card's image is ≈ 0.6 KiB). */
export const DELTA_IMAGE_BYTES_MAX = 16 * 1024
const RUN_MAX = 255
const RAW = 0
const DELTA = 1

const templates = new Map<number, Uint8Array>()

/** The image's encoding (see the file's comment): a fresh array, shorter than the image when a template fits. */
export const encodeImage = (image: Uint8Array): Uint8Array => {
  const n = image.length
  let template = templates.get(n)
  if (template === undefined && n <= DELTA_IMAGE_BYTES_MAX && templates.size < TEMPLATES_MAX) {
    template = image.slice()
    templates.set(n, template)
  }
  if (template === undefined) {
    const raw = new Uint8Array(n + 1)
    raw[0] = RAW
    raw.set(image, 1)
    return raw
  }
  // Worst case: every run of 255 differing bytes costs 2 bytes of run lengths, plus the tag.
  const out = new Uint8Array(1 + n + 2 * Math.ceil(n / RUN_MAX) + 2)
  out[0] = DELTA
  let at = 1
  let i = 0
  while (i < n) {
    let same = 0
    while (i + same < n && same < RUN_MAX && image[i + same] === template[i + same]) same++
    i += same
    let differ = 0
    while (i + differ < n && differ < RUN_MAX && image[i + differ] !== template[i + differ]) differ++
    out[at++] = same
    out[at++] = differ
    out.set(image.subarray(i, i + differ), at)
    at += differ
    i += differ
  }
  return out.slice(0, at)
}

/** The image `encoded` was made from by `encodeImage` on this thread, `imageBytes` long. */
export const decodeImage = (encoded: Uint8Array, imageBytes: number): Uint8Array => {
  if (encoded[0] === RAW) {
    if (encoded.length !== imageBytes + 1) throw new RangeError("a raw held image of the wrong length")
    return encoded.slice(1)
  }
  const template = templates.get(imageBytes)
  if (encoded[0] !== DELTA || template === undefined)
    throw new RangeError(`no template for a held image of ${imageBytes} bytes on this thread`)
  const image = template.slice()
  let at = 1
  let i = 0
  while (at < encoded.length) {
    i += encoded[at]!
    const differ = encoded[at + 1]!
    at += 2
    image.set(encoded.subarray(at, at + differ), i)
    at += differ
    i += differ
  }
  if (i !== imageBytes || at !== encoded.length) throw new RangeError("a held image's runs do not cover it")
  return image
}
