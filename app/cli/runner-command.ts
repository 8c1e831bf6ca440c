/**
 * `tsm-twin runner --cluster postgres://… [--host H] [--port P] [--workers N]`: one runner per
 * machine (issue 18). It registers in the cluster's PostgreSQL, takes a share of the shards, runs
 * the sweep runs whose shards it holds on N worker threads, and leaves cleanly on SIGTERM or
 * Ctrl-C (its shards move to the other runners at once). `--host` is the address the other
 * runners use to reach this one; the URL may come from TSM_TWIN_CLUSTER instead of the command
 * line, so that the password is not in the process list.
 */
import { availableParallelism, hostname } from "node:os"
import { Cause, Console, Effect, Layer, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { CLUSTER_ENV, parseClusterUrl, withoutPassword } from "../cluster/cluster-url.ts"
import { RUNNER_THREADS_MAX } from "../cluster/runner-pool.ts"
import { EXIT } from "../run/exit-codes.ts"

/** Effect cluster's customary runner port. */
export const RUNNER_PORT_DEFAULT = 34431

export interface RunnerArgs {
  readonly cluster: string | null
  readonly host: string
  readonly port: number
  readonly workers: number
}

const NEED_CLUSTER = `--cluster postgres://… (or ${CLUSTER_ENV}) is required`

/** Checks the arguments; the runner's layer, or a message for exit 2. */
export const runnerFromArgs = (args: RunnerArgs) => {
  const text = args.cluster ?? process.env[CLUSTER_ENV] ?? null
  if (text === null) return { ok: false as const, message: NEED_CLUSTER }
  const cluster = parseClusterUrl(text)
  if (!cluster.ok) return cluster
  if (!(Number.isInteger(args.port) && args.port >= 1 && args.port <= 65_535))
    return { ok: false as const, message: `--port must be 1..65535, not ${args.port}` }
  if (!(Number.isInteger(args.workers) && args.workers >= 1 && args.workers <= RUNNER_THREADS_MAX))
    return { ok: false as const, message: `--workers must be 1..${RUNNER_THREADS_MAX}, not ${args.workers}` }
  if (args.host.trim() === "") return { ok: false as const, message: "--host is empty" }
  const shown = cluster.value
  return {
    ok: true as const,
    /** Why the runner stopped, as one line without a stack, the password masked. */
    reason: (cause: Cause.Cause<unknown>) => {
      const error = Cause.squash(cause)
      return `cluster ${shown.shown}: ${withoutPassword(error instanceof Error ? `${error.name}: ${error.message}` : String(error), shown)}`
    },
    // The cluster's modules (PostgreSQL, sockets, workflows) load only when a runner starts, so
    // that every other command starts without them.
    layer: Layer.unwrap(
      Effect.promise(() => import("../cluster/runner-main.ts")).pipe(
        Effect.map(({ runnerLayer }) =>
          runnerLayer({
            cluster: cluster.value,
            host: args.host,
            port: args.port,
            listenHost: "0.0.0.0",
            threads: args.workers,
          }),
        ),
      ),
    ),
  }
}

export const runnerCommand = Command.make(
  "runner",
  {
    cluster: Flag.String("cluster").pipe(
      Flag.optional,
      Flag.withDescription(`postgres://user:password@host:port/db (or set ${CLUSTER_ENV})`),
    ),
    host: Flag.String("host").pipe(
      Flag.withDefault(hostname()),
      Flag.withDescription("the address other runners reach this one at (default: the host name)"),
    ),
    port: Flag.Int("port").pipe(
      Flag.withDefault(RUNNER_PORT_DEFAULT),
      Flag.withDescription(`the port this runner listens on (default ${RUNNER_PORT_DEFAULT})`),
    ),
    workers: Flag.Int("workers").pipe(
      Flag.withDefault(availableParallelism()),
      Flag.withDescription("worker threads for runs (default: cores)"),
    ),
  },
  Effect.fn(function* (flags) {
    const runner = runnerFromArgs({ ...flags, cluster: Option.getOrNull(flags.cluster) })
    if (!runner.ok) {
      yield* Console.error(`tsm-twin runner: ${runner.message}`)
      process.exitCode = EXIT.badInput
      return
    }
    yield* Layer.launch(runner.layer).pipe(
      Effect.catchCause((cause) =>
        Cause.hasInterruptsOnly(cause)
          ? Effect.failCause(cause)
          : Effect.gen(function* () {
              yield* Console.error(`tsm-twin runner: ${runner.reason(cause)}`)
              process.exitCode = EXIT.checkFailed
            }),
      ),
    )
  }),
).pipe(
  Command.withDescription(
    "Join a sweep cluster as a runner: register in its PostgreSQL, run the sweep runs of the shards it holds on worker threads, leave cleanly on Ctrl-C or SIGTERM.",
  ),
  Command.withExamples([
    {
      command:
        'TSM_TWIN_CLUSTER=postgres://twin@db.example:5432/twin tsm-twin runner --host "$(hostname -f)"',
      description: "one runner per machine; `tsm-twin sweep … --cluster` submits to the same database",
    },
  ]),
)
