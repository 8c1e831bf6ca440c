// Proves a held image's delta encoding (image-delta.ts) is lossless whatever the template, the image and their lengths, is compact for images alike, and that a decoding that went wrong is refused rather than answered with other bytes.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeImage, encodeImage } from "../../../../model/world/pilot/image-delta.ts"

describe("a held image's delta encoding", () => {
  // Templates are per thread and per length, and test files may share a thread with real cards
  // (images of ≈ 560 B): each test below uses a length of its own that no card image has.
  it("decodes to the image it encoded, for any images (the first of each length is the template)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 512 }), { minLength: 1, maxLength: 6 }),
        (images) => {
          for (const image of images) expect(decodeImage(encodeImage(image), image.length)).toEqual(image)
        },
      ),
      { numRuns: 200 },
    )
  })

  it("decodes images that differ from the template in runs of every length, past 255 included", () => {
    const template = Uint8Array.from({ length: 1301 }, (_, i) => (i * 7) & 0xff)
    encodeImage(template)
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1300), fc.nat(400)), { maxLength: 8 }), (runs) => {
        const image = template.slice()
        for (const [at, length] of runs)
          for (let i = at; i < Math.min(1301, at + length); i++) image[i] = image[i]! ^ 0x5a
        expect(decodeImage(encodeImage(image), 1301)).toEqual(image)
      }),
      { numRuns: 200 },
    )
  })

  it("holds an image alike its template in a few bytes, and one unlike it in about its own length", () => {
    const template = Uint8Array.from({ length: 1237 }, (_, i) => (i * 31 + 3) & 0xff)
    encodeImage(template)
    const alike = template.slice()
    alike.set([1, 2, 3, 4, 5, 6, 7, 8], 100)
    const encoded = encodeImage(alike)
    // The tag, (100 same, 8 differing) and the 8 bytes, then 1,129 same bytes in runs of ≤ 255: 21 bytes.
    expect(encoded.length).toBe(21)
    const unlike = template.map((b) => b ^ 0xff)
    expect(encodeImage(unlike).length).toBeLessThanOrEqual(1 + 1237 + 2 * 5)
  })

  it("refuses a decoding whose runs do not cover the image, or with no template of its length", () => {
    const template = new Uint8Array(1409).fill(9)
    encodeImage(template)
    const changed = template.slice()
    changed[10] = 1
    const encoded = encodeImage(changed)
    // Told the wrong length, the runs cannot cover the image: an error, not a card of other bytes.
    expect(() => decodeImage(encoded, 1408)).toThrow(/template|cover/)
    const truncated = encoded.slice(0, encoded.length - 1)
    expect(() => decodeImage(truncated, 1409)).toThrow(/cover/)
    expect(() => decodeImage(Uint8Array.of(1, 0, 0), 12_345)).toThrow(/no template/)
  })
})
