/**
 * The card-management scripts the 贵州通 TSM (or an SP-TSM) runs through an SP's SSD, as plain
 * commands for `commandRound` to wrap (GP 2.3 Chapter 11). Each script that creates starts by
 * deleting what it is about to create, tolerating 6A88, so a retry after an answer was lost is
 * idempotent on the card. `tolerated` lists those indices, counted from round 2's first APDU
 * (EXTERNAL AUTHENTICATE is index 0).
 */
import type { CommandApdu } from "../../apdu/command.ts"
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { DGI, PPSE_NAME } from "../../card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../card/applets/pboc/ppse-applet.ts"
import type { HostChannel } from "../../card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import {
  deleteAid,
  installForInstall,
  installForPersonalization,
  setStatus,
  storeDataDgi,
} from "../../host/gp/gp-commands.ts"
import { type PbocCardData, preparePbocDgis, preparePpseDgi } from "../../host/issuer/data-preparation.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"

/** The executable load file with the PBOC and PPSE classes, pre-loaded by the SE maker. */
export { PBOC_PACKAGE_AID } from "../../host/card-story/story-context.ts"

import { PBOC_PACKAGE_AID } from "../../host/card-story/story-context.ts"

export interface SsdScript {
  readonly commands: (channel: HostChannel) => ReadonlyArray<CommandApdu>
  readonly tolerated: ReadonlyMap<number, ReadonlyArray<number>>
}

const NOT_FOUND = [0x6a88]

/** DELETE PBOC, DELETE PPSE (both tolerated), install both, personalize both (DGI 8000 encrypted). */
export const personalizeScript = (crypto: Crypto, imks: IssuerMasterKeys, data: PbocCardData): SsdScript => ({
  commands: (channel) => {
    const ppse = preparePpseDgi([{ aid: data.aid, label: data.label, priority: 1 }])
    const dgis = preparePbocDgis(crypto, imks, data)
    const install = (moduleAid: Uint8Array, aid: Uint8Array) =>
      installForInstall({ loadFileAid: PBOC_PACKAGE_AID, moduleAid, aid, privileges: 0 })
    return [
      deleteAid(data.aid),
      deleteAid(PPSE_NAME),
      install(PPSE_APPLET.moduleAid, PPSE_NAME),
      install(PBOC_APPLET.moduleAid, data.aid),
      installForPersonalization(PPSE_NAME),
      storeDataDgi(0, true, ppse.dgi, ppse.value),
      installForPersonalization(data.aid),
      ...dgis.map((d, i) =>
        storeDataDgi(
          i,
          i === dgis.length - 1,
          d.dgi,
          d.value,
          d.dgi === DGI.keys ? channel.encryptData : undefined,
        ),
      ),
    ]
  },
  tolerated: new Map([
    [1, NOT_FOUND],
    [2, NOT_FOUND],
  ]),
})

/** 挂失's OTA half: lock the payment application (SET STATUS P1 40, b8 set; GP 2.3 §11.10). */
export const lockScript = (appAid: Uint8Array): SsdScript => ({
  commands: () => [setStatus(0x40, 0x80, appAid)],
  tolerated: new Map(),
})

/** 销户's card half: DELETE the payment application and the PPSE (already gone is fine). */
export const deleteAppScript = (appAid: Uint8Array): SsdScript => ({
  commands: () => [deleteAid(appAid), deleteAid(PPSE_NAME)],
  tolerated: new Map([
    [1, NOT_FOUND],
    [2, NOT_FOUND],
  ]),
})
