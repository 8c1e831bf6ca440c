/**
 * The cluster's layers: PostgreSQL (@effect/sql-pg) under Effect's socket runners
 * (NodeClusterSocket with SQL runner and message storage) under the cluster workflow engine.
 * A runner listens on its address and takes shards; a client (the submitting CLI) is client-only:
 * it writes workflow messages into PostgreSQL and reads replies, and never owns a shard.
 */
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import { PgClient } from "@effect/sql-pg"
import { Layer, Option } from "effect"
import { ClusterWorkflowEngine, RunnerAddress } from "effect/cluster"
import { SWEEP_SHARDING } from "./cluster-timing.ts"
import type { ClusterUrl } from "./cluster-url.ts"

/** PostgreSQL for the engine and the ledger; the URL stays redacted all the way to the driver. */
export const pgLayer = (cluster: ClusterUrl) =>
  PgClient.layer({ url: cluster.url, applicationName: "tsm-twin", connectTimeout: "5 seconds" })

export interface RunnerAddressOptions {
  /** The address other runners use to reach this one. */
  readonly host: string
  readonly port: number
  /** The address to listen on (default: all interfaces at `port`). */
  readonly listenHost: string
}

export const runnerEngineLayer = (cluster: ClusterUrl, address: RunnerAddressOptions) =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(
      NodeClusterSocket.layer({
        storage: "sql",
        shardingConfig: {
          ...SWEEP_SHARDING,
          runnerAddress: Option.some(RunnerAddress.make(address.host, address.port)),
          runnerListenAddress: Option.some(RunnerAddress.make(address.listenHost, address.port)),
        },
      }),
    ),
    Layer.provideMerge(pgLayer(cluster)),
  )

export const clientEngineLayer = (cluster: ClusterUrl) =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(
      NodeClusterSocket.layer({ storage: "sql", clientOnly: true, shardingConfig: SWEEP_SHARDING }),
    ),
    Layer.provideMerge(pgLayer(cluster)),
  )
