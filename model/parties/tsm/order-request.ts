/**
 * What an order asks of a TSM: who, which SE, which bank's application, and the card's data. The
 * order id makes it idempotent: submitting the same id twice starts nothing new.
 */
import type { SecureChannelProtocol } from "../../card/applet.ts"
import type { OrderKind } from "./order-machine.ts"

export type ScriptRoute = "wallet" | "ota"

export interface OrderRequest {
  readonly orderId: string
  readonly kind: OrderKind
  readonly userIndex: number
  readonly seId: string
  /** The SE's secure channel protocol, as the wallet app reports the SE type with the order. */
  readonly seProtocol: SecureChannelProtocol
  /** The published application (bank card) the order concerns. */
  readonly appId: string
  readonly pan: string
  readonly psn: string
  /** E-cash balance to personalize (issue: the user's first load; reissue: the balance moved). */
  readonly balanceFen: number
  /** 补卡 waiting period before the new card is made. */
  readonly waitUs: number
  /** SIM swap: the SE the card leaves (empty for other kinds). */
  readonly oldSeId: string
}

/**
 * What an application is: a bank card or a transit card on the SE (both PBOC applets under the
 * SP's SSD), or a "7+N" cloud app that lives in the wallet and the SP's servers with no SE part.
 */
export type AppCategory = "bank-card" | "transit" | "cloud"

/** An application in the TSM's catalogue: a bank card, a transit card or a "7+N" cloud app. */
export interface PublishedApp {
  readonly appId: string
  readonly spId: string
  readonly category: AppCategory
  /** The bank whose card it is (its batch files may order it); empty for other categories. */
  readonly bankId: string
  readonly label: string
  /** The instance AID on the SE (hex), and the SP's SSD AID (hex); empty for a cloud app. */
  readonly appAid: string
  readonly ssdAid: string
}
