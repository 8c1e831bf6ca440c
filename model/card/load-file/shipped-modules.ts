/**
 * The Executable Module AIDs of the applet classes the twin ships, by class name, so that a host
 * naming a class (`loadFileBlock(["pboc-payment"])`) gets a load file whose Applet component
 * carries the module AID the card binds to that class. Hosts with other classes (a test applet)
 * pass the module AID themselves.
 */
import { PBOC_APPLET } from "../applets/pboc/pboc-applet.ts"
import { PPSE_APPLET } from "../applets/pboc/ppse-applet.ts"
import { SECURITY_DOMAIN_MODULE_AID } from "../runtime/issuance.ts"
import { SECURITY_DOMAIN_CLASS } from "../runtime/registry.ts"

export const SHIPPED_MODULE_AIDS: ReadonlyMap<string, Uint8Array> = new Map([
  [SECURITY_DOMAIN_CLASS, SECURITY_DOMAIN_MODULE_AID],
  [PBOC_APPLET.name, PBOC_APPLET.moduleAid],
  [PPSE_APPLET.name, PPSE_APPLET.moduleAid],
])
