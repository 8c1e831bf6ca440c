/**
 * The payees of the twin (DESIGN.md §1 "Use"): retail merchants and the bus operator on POS, the
 * utility billers and the e-commerce cloud's categories, each acquired by one bank. The names are
 * the seed's; which bank acquires which payee is the twin's assumption (the local banks acquire
 * the local utilities, as the province's own banks plausibly would).
 */

export type PayeeKind = "retail" | "transit" | "utility" | "ecommerce"

export interface Payee {
  readonly id: string
  readonly name: string
  readonly kind: PayeeKind
  readonly acquirer: string
}

export const PAYEES: ReadonlyArray<Payee> = [
  { id: "retail-1", name: "超市", kind: "retail", acquirer: "GYB" },
  { id: "retail-2", name: "餐馆", kind: "retail", acquirer: "CCB" },
  { id: "retail-3", name: "便利店", kind: "retail", acquirer: "ICBC" },
  { id: "bus", name: "贵阳公交", kind: "transit", acquirer: "GYB" },
  { id: "electricity", name: "贵州电网 (province electricity)", kind: "utility", acquirer: "GZB" },
  { id: "water", name: "贵阳水务 (Guiyang water)", kind: "utility", acquirer: "GYB" },
  { id: "gas", name: "贵阳燃气 (gas)", kind: "utility", acquirer: "GYRCB" },
  { id: "tv", name: "贵州广电 (digital TV)", kind: "utility", acquirer: "GZB" },
  { id: "fines", name: "交通罚没 (traffic fines)", kind: "utility", acquirer: "GYB" },
  { id: "topup", name: "话费充值 (phone top-up)", kind: "utility", acquirer: "GYRCB" },
  { id: "ec-flights", name: "机票 (flights)", kind: "ecommerce", acquirer: "CCB" },
  { id: "ec-lottery", name: "彩票 (lottery)", kind: "ecommerce", acquirer: "GZB" },
  { id: "ec-cinema", name: "电影 (cinema)", kind: "ecommerce", acquirer: "GYB" },
  { id: "ec-hotels", name: "酒店 (hotels)", kind: "ecommerce", acquirer: "ICBC" },
  { id: "ec-dining", name: "餐饮 (dining)", kind: "ecommerce", acquirer: "GYRCB" },
  { id: "ec-goods", name: "商品 (goods)", kind: "ecommerce", acquirer: "CCB" },
]

export const payeesOf = (kind: PayeeKind): ReadonlyArray<Payee> => PAYEES.filter((p) => p.kind === kind)
