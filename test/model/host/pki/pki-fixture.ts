/**
 * The pilot PKI for tests: the same builder a run uses (model/host/pki/pilot-pki.ts), re-exported
 * so the PKI and envelope tests keep one import.
 */
export { PILOT_START_S, type PilotPki, pilotPki } from "../../../../model/host/pki/pilot-pki.ts"
