/**
 * `tsm-twin replay <run file> [--port P] [--host H]`: serves a recorded run (`tsm-twin view
 * --record run.ndjson[.gz]`) to the browser, which plays it back with play, pause, scrub and speed.
 * The same file also replays with no server at all: open the built viewer (out/viewer/index.html)
 * and choose the file.
 */
import { existsSync, statSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { ensureViewer, VIEWER_DIST_DEFAULT } from "../live/build-viewer.ts"
import { startReplayServer } from "../live/replay-server.ts"
import { BadInput } from "../run/errors.ts"

const fail = (at: string, text: string) =>
  Effect.fail(new BadInput({ reason: "invalid-flag", subject: "tsm-twin replay", problems: [{ at, text }] }))

export const replayCommand = Command.make(
  "replay",
  {
    file: Argument.String("run-file").pipe(Argument.withDescription("a run file (.ndjson or .ndjson.gz)")),
    port: Flag.Int("port").pipe(
      Flag.withDefault(8731),
      Flag.withDescription("TCP port (taken or 0: a free one)"),
    ),
    host: Flag.String("host").pipe(Flag.withDefault("127.0.0.1"), Flag.withDescription("interface to bind")),
  },
  Effect.fn(function* (flags) {
    const runFile = resolve(flags.file)
    if (!existsSync(runFile) || !statSync(runFile).isFile()) return yield* fail(flags.file, "no such file")
    if (!(Number.isInteger(flags.port) && flags.port >= 0 && flags.port < 65536))
      return yield* fail("--port", `must be 0-65535, not ${flags.port}`)
    const dist = yield* Effect.promise(() => ensureViewer(VIEWER_DIST_DEFAULT))
    const server = yield* Effect.acquireRelease(
      Effect.promise(() =>
        startReplayServer({ staticDir: dist, runFile, host: flags.host, port: flags.port }),
      ),
      (s) => Effect.promise(() => s.close()),
    )
    yield* Console.log(`tsm-twin replay: ${runFile}`)
    yield* Console.log(`viewer: ${server.url}`)
    yield* Effect.never
  }, Effect.scoped),
).pipe(
  Command.withDescription(
    "serve a recorded run file to the browser for playback (play, pause, scrub, speed)",
  ),
)
