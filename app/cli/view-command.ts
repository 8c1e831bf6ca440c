import { resolve } from "node:path"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { DEMO_SPECS } from "../../model/world/demo/demo-spec.ts"
import { startViewerServer } from "../../sim/server/viewer-server.ts"
import { ensureViewer, VIEWER_DIST_DEFAULT } from "../live/build-viewer.ts"
import { DEMO_SPEED_DEFAULT, demoRoute } from "../live/demo-session.ts"
import { type Rerun, rerunOf } from "../live/pilot-run-session.ts"
import { readRunFile } from "../live/run-file.ts"
import { makeViewerSession, PILOT_SPEED_DEFAULT, viewerScenarios } from "../live/viewer-session.ts"
import { BadInput } from "../run/errors.ts"
import { loadScenarioSync } from "../run/scenario-input.ts"

/** A bad flag or file: exit 2 through app/run/exit.ts, named by its flag. */
const fail = (flag: string, text: string) =>
  Effect.fail(
    new BadInput({ reason: "invalid-flag", subject: "tsm-twin view", problems: [{ at: flag, text }] }),
  )

/**
 * A pilot's --seed/--scale/--until go through the scenario's own Schema, as for `run`
 * (app/run/scenario-input.ts); demos have their own fixed worlds and take only --seed ≥ 0.
 */
const checkRunFlags = (
  scenario: string,
  flags: { readonly seed: number | undefined; readonly scale: number; readonly until: string },
): Effect.Effect<void, BadInput> => {
  const pilot = viewerScenarios().pilots.find((p) => p.id === scenario)
  if (pilot === undefined)
    return flags.seed === undefined || (Number.isSafeInteger(flags.seed) && flags.seed >= 0)
      ? Effect.void
      : fail("--seed", `must be a safe integer ≥ 0, not ${flags.seed}`)
  const loaded = loadScenarioSync(pilot.path, {
    seed: flags.seed,
    scale: flags.scale,
    until: flags.until === "" ? undefined : flags.until,
  })
  return loaded instanceof BadInput ? Effect.fail(loaded) : Effect.void
}

const parseSpeed = (text: string, scenario: string): number | null | undefined => {
  if (text === "") return DEMO_SPECS.some((s) => s.id === scenario) ? DEMO_SPEED_DEFAULT : PILOT_SPEED_DEFAULT
  if (text === "max") return null
  const n = Number(text)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

const readRerun = (path: string): Rerun | string => {
  try {
    return rerunOf(readRunFile(path)) ?? `${path} has no run.config record (not a pilot run file)`
  } catch (e) {
    return `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`
  }
}

export const viewCommand = Command.make(
  "view",
  {
    port: Flag.Int("port").pipe(
      Flag.withDefault(8730),
      Flag.withDescription("TCP port (0 picks a free one; a taken port falls back to a free one)"),
    ),
    host: Flag.String("host").pipe(Flag.withDefault("127.0.0.1"), Flag.withDescription("interface to bind")),
    scenario: Flag.String("scenario").pipe(
      Flag.withDefault("04-pilot-plan"),
      Flag.withDescription("a pilot scenario (04-pilot-plan … 14-province-scale) or a viewer demo"),
    ),
    scale: Flag.Finite("scale").pipe(
      Flag.withDefault(0.02),
      Flag.withDescription("pilot scale factor, in (0, 100]"),
    ),
    until: Flag.String("until").pipe(
      Flag.withDefault(""),
      Flag.withDescription("pilot: last simulated day (YYYY-MM-DD inside the population's horizon)"),
    ),
    seed: Flag.Int("seed").pipe(
      Flag.optional,
      Flag.withDescription("the run's seed, a safe integer ≥ 0 (default: the scenario's)"),
    ),
    speed: Flag.String("speed").pipe(
      Flag.withDefault(""),
      Flag.withDescription(
        "simulated seconds per wall second, or max (default: 2 days/s pilot, 1 week/s demo)",
      ),
    ),
    record: Flag.String("record").pipe(Flag.withDefault(""), Flag.withDescription("write the run file here")),
    rerun: Flag.String("rerun").pipe(
      Flag.withDefault(""),
      Flag.withDescription("run a recorded pilot run file again"),
    ),
    rebuild: Flag.Boolean("rebuild").pipe(
      Flag.withDefault(false),
      Flag.withDescription("rebuild the viewer before serving"),
    ),
  },
  Effect.fn(function* (flags) {
    const { port, host, record, rebuild } = flags
    const again = flags.rerun === "" ? null : readRerun(resolve(flags.rerun))
    if (typeof again === "string") return yield* fail("--rerun", again)
    const scenario = again?.scenario ?? flags.scenario
    const ids = viewerScenarios().entries.map((e) => e.id)
    if (!ids.includes(scenario))
      return yield* fail("--scenario", `must be one of ${ids.join(", ")}, not ${JSON.stringify(scenario)}`)
    const factor = parseSpeed(flags.speed, scenario)
    if (factor === undefined)
      return yield* fail("--speed", `must be a positive number or max, not ${JSON.stringify(flags.speed)}`)
    const seed = flags.seed._tag === "Some" ? flags.seed.value : undefined
    yield* checkRunFlags(scenario, { seed, scale: flags.scale, until: flags.until })
    if (!(Number.isInteger(port) && port >= 0 && port < 65536))
      return yield* fail("--port", `must be 0-65535, not ${port}`)
    const dist = yield* Effect.promise(() => ensureViewer(VIEWER_DIST_DEFAULT, rebuild))
    // The session (its run) and the server are freed in reverse order when the command ends:
    // Ctrl-C (exit 130), or a server that cannot bind (exit 2, the run stopped with it).
    const session = yield* Effect.acquireRelease(
      Effect.sync(() =>
        makeViewerSession({
          scenario,
          seed: again?.seed ?? seed ?? null,
          scale: again?.scale ?? flags.scale,
          untilDate: again?.untilDate ?? (flags.until === "" ? null : flags.until),
          speed: factor,
          recordPath: record === "" ? null : resolve(record),
          injections: again?.injections ?? [],
        }),
      ),
      (s) => Effect.promise(() => s.close()),
    )
    const started = yield* Effect.result(
      Effect.tryPromise({
        try: () =>
          startViewerServer(session, { host, port, portFallback: true, staticDir: dist, route: demoRoute }),
        catch: (e) => (e instanceof Error ? e.message : String(e)),
      }),
    )
    if (started._tag === "Failure")
      return yield* fail("--host", `cannot serve on ${host}:${port}: ${started.failure}`)
    const server = started.success
    yield* Effect.addFinalizer(() => Effect.promise(() => server.close()))
    const info = session.info()
    yield* Console.log(`tsm-twin view: ${info.scenario} (${info.title}), seed ${info.seed}`)
    if (server.portTaken) yield* Console.log(`port ${port} is taken; serving on ${server.port} instead`)
    yield* Console.log(`viewer: ${server.url}`)
    yield* Console.log(`ws:     ${server.wsUrl}${record === "" ? "" : `\nrecording to ${resolve(record)}`}`)
    if (again !== null) {
      yield* Effect.promise(() => session.finished())
      const digest = session.digest()
      yield* Console.log(
        `rerun digest ${digest}${again.digest === null ? "" : digest === again.digest ? " = the recorded run's" : ` ≠ the recorded ${again.digest}`}`,
      )
    }
    yield* Effect.never
  }, Effect.scoped),
).pipe(
  Command.withDescription(
    "Run a scenario live and serve the browser viewer on 127.0.0.1 (the URL is printed); Ctrl-C stops it.",
  ),
  Command.withExamples([
    { command: "tsm-twin view", description: "the pilot as planned at scale 0.02" },
    {
      command: "tsm-twin view --scenario 08-mtps-outage --scale 0.05 --until 2015-07-31",
      description: "an MTPS outage in the launch campaign",
    },
    {
      command: "tsm-twin view --record run.ndjson.gz",
      description: "also write a (compressed) run file to replay or --rerun",
    },
  ]),
)
