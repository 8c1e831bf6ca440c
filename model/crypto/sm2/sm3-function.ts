/**
 * The one SM3 the SM2 code depends on, passed in rather than imported, so that the layer that
 * builds an `Sm2` chooses it: sm-crypto for the reference layer, node:crypto for the native one.
 * GB/T 32905-2016: any byte string in, 32 bytes out.
 */
export type Sm3Function = (data: Uint8Array) => Uint8Array
