/**
 * The fares a 贵州通 transit reader charges, by the kind of route it is mounted on. The figures
 * are the twin's own fare table: flat fares in round yuan as Guiyang's buses commonly charged
 * during the pilot (1 yuan on an ordinary bus, 2 yuan on an air-conditioned bus or the BRT line),
 * recorded here as a documented assumption, not an official tariff. A flat fare per boarding is
 * what lets a bus validator work offline: it needs no alighting tap and no distance.
 *
 * A fare is charged as a qPBOC offline e-cash purchase of exactly this amount (transit-reader.ts).
 */

export type RouteKind = "bus" | "bus-air-conditioned" | "brt"

export interface Fare {
  readonly fen: number
  readonly label: string
}

export const FARE_TABLE: Readonly<Record<RouteKind, Fare>> = {
  bus: { fen: 100, label: "ordinary bus, flat fare" },
  "bus-air-conditioned": { fen: 200, label: "air-conditioned bus, flat fare" },
  brt: { fen: 200, label: "BRT line, flat fare" },
}

export const ROUTE_KINDS = Object.keys(FARE_TABLE) as ReadonlyArray<RouteKind>

/** A route a reader is mounted on: its public name (e.g. "bus 2") and its fare kind. */
export interface TransitRoute {
  readonly id: string
  readonly kind: RouteKind
}

export const fareFen = (route: TransitRoute): number => FARE_TABLE[route.kind].fen
