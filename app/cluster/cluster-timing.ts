/**
 * The cluster's timings, in one place. Effect's defaults suit long-lived services (a dead runner
 * is noticed after a minute's health check; storage is polled every 10 s); a sweep is minutes of
 * short jobs, so runners poll and check each other more often: a SIGKILLed runner's shards move
 * within seconds (its PostgreSQL session ends, releasing its advisory shard locks, and the health
 * ping finds it gone), and a runner that joins is given shards at the next assignment refresh.
 * Every runner and client of one cluster must use the same `shardsPerGroup`.
 */
import type { ShardingConfig } from "effect/cluster"

export const SWEEP_SHARDING: Partial<ShardingConfig.ShardingConfig["Service"]> = {
  shardsPerGroup: 60,
  entityMessagePollInterval: "500 millis",
  entityReplyPollInterval: "200 millis",
  refreshAssignmentsInterval: "1 second",
  runnerHealthCheckInterval: "2 seconds",
  shardLockRefreshInterval: "2 seconds",
  shardLockExpiration: "10 seconds",
  entityTerminationTimeout: "5 seconds",
}

/** How often a waiting CLI asks PostgreSQL for the sweep's progress. */
export const PROGRESS_POLL_MS = 500
