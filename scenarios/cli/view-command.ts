/**
 * `tsm-twin view [--port N] [--host H] [--scenario ID] [--seed N] [--speed F|max] [--record FILE]
 * [--rebuild]`: runs a scenario live and serves the browser viewer and its ws on 127.0.0.1 (by
 * default), printing the URL. Until the pilot's scenarios exist it runs the viewer demo
 * (scenarios/viewer-demo/: an M/M/c TSM order queue, clearly not the pilot). `--record` writes the
 * run file that the viewer replays without a server. Exit code 2 for a bad flag.
 */
import { resolve } from "node:path"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { startViewerServer } from "../../sim/server/viewer-server.ts"
import { ensureViewer, VIEWER_DIST_DEFAULT } from "../viewer-demo/build-viewer.ts"
import { DEMO_SPEED_DEFAULT, demoRoute, makeDemoSession } from "../viewer-demo/demo-session.ts"
import { DEMO_SPECS, demoSpec } from "../viewer-demo/demo-spec.ts"
import { EXIT } from "./exit-codes.ts"

const fail = (message: string) =>
  Effect.gen(function* () {
    yield* Console.error(`tsm-twin view: ${message}`)
    process.exitCode = EXIT.badInput
  })

const parseSpeed = (text: string): number | null | undefined => {
  if (text === "max") return null
  const n = Number(text)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

export const viewCommand = Command.make(
  "view",
  {
    port: Flag.Int("port").pipe(
      Flag.withDefault(8730),
      Flag.withDescription("TCP port (0 picks a free one)"),
    ),
    host: Flag.String("host").pipe(Flag.withDefault("127.0.0.1"), Flag.withDescription("interface to bind")),
    scenario: Flag.String("scenario").pipe(
      Flag.withDefault(DEMO_SPECS[0]!.id),
      Flag.withDescription(`scenario: ${DEMO_SPECS.map((s) => s.id).join(", ")}`),
    ),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("the run's seed")),
    speed: Flag.String("speed").pipe(
      Flag.withDefault(String(DEMO_SPEED_DEFAULT)),
      Flag.withDescription("simulated seconds per wall second, or max"),
    ),
    record: Flag.String("record").pipe(Flag.withDefault(""), Flag.withDescription("write the run file here")),
    rebuild: Flag.Boolean("rebuild").pipe(
      Flag.withDefault(false),
      Flag.withDescription("rebuild the viewer before serving"),
    ),
  },
  Effect.fn(function* ({ port, host, scenario, seed, speed, record, rebuild }) {
    if (demoSpec(scenario) === undefined)
      return yield* fail(
        `--scenario must be one of ${DEMO_SPECS.map((s) => s.id).join(", ")}, not ${JSON.stringify(scenario)}`,
      )
    const factor = parseSpeed(speed)
    if (factor === undefined)
      return yield* fail(`--speed must be a positive number or max, not ${JSON.stringify(speed)}`)
    if (!Number.isSafeInteger(seed) || seed < 0)
      return yield* fail(`--seed must be an integer ≥ 0, not ${seed}`)
    if (!(Number.isInteger(port) && port >= 0 && port < 65536))
      return yield* fail(`--port must be 0-65535, not ${port}`)
    const dist = yield* Effect.promise(() => ensureViewer(VIEWER_DIST_DEFAULT, rebuild))
    const session = makeDemoSession({
      scenario,
      seed,
      speed: factor,
      recordPath: record === "" ? null : resolve(record),
    })
    const server = yield* Effect.acquireRelease(
      Effect.promise(() => startViewerServer(session, { host, port, staticDir: dist, route: demoRoute })),
      (s) => Effect.promise(() => s.close().then(() => session.close())),
    )
    yield* Console.log(`tsm-twin view: ${scenario} (a viewer demo, not the pilot), seed ${seed}`)
    yield* Console.log(`viewer: ${server.url}`)
    yield* Console.log(`ws:     ${server.wsUrl}${record === "" ? "" : `\nrecording to ${resolve(record)}`}`)
    yield* Effect.never
  }, Effect.scoped),
)
