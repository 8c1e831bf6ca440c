/**
 * The bounds every parser in model/tlv relies on, declared in one place (STYLE.md "limits").
 * Inputs that would exceed them are refused with a typed error, never followed without end.
 */

/**
 * Tag bytes kept in a `number`. EMV and GP tags have 1-3 bytes (EMV 4.3 Book 3 Annex B1); four
 * bytes still fit an unsigned 32-bit value, so `tag` stays a plain number in the data plane.
 */
export const TLV_TAG_BYTES_MAX = 4

/**
 * Nesting depth of constructed objects. Real EMV/GP responses nest 3-4 levels (70 > 61 > BF0C ...);
 * the bound keeps a hostile input from exhausting the stack through the recursive decoder.
 */
export const TLV_DEPTH_MAX = 32

/** Bytes of a value shown by the visualizer before it elides the rest. */
export const VISUALIZE_VALUE_BYTES_MAX = 128
