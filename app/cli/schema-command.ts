/**
 * `tsm-twin schema [--kind pilot|money|issuance] [--out file]`: the JSON Schema (draft 2020-12) of
 * a scenario kind, generated from the same effect Schema that decodes it
 * (Schema.toJsonSchemaDocument), for editor completion: point a file's "$schema" or the editor's
 * json.schemas setting at it. Objects are closed (`additionalProperties: false`), as the decoder
 * rejects unknown keys.
 */
import { writeFileSync } from "node:fs"
import { Console, Effect, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { IssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import { MoneyScenario } from "../../model/world/money/money-scenario.ts"
import { PilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { BadInput } from "../run/errors.ts"
import { SCENARIO_KINDS, type ScenarioKind } from "../run/scenario-input.ts"

const SCHEMAS: Readonly<Record<ScenarioKind, Schema.Top>> = {
  pilot: PilotScenario,
  money: MoneyScenario,
  issuance: IssuanceScenario,
}

export const scenarioJsonSchema = (kind: ScenarioKind): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(SCHEMAS[kind], { onExcessProperty: "error" })
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `tsm-twin ${kind} scenario`,
    ...doc.schema,
    ...(Object.keys(doc.definitions ?? {}).length > 0 ? { $defs: doc.definitions } : {}),
  }
}

/** The pilot kind's JSON Schema (the kind most files are). */
export const pilotJsonSchema = (): Record<string, unknown> => scenarioJsonSchema("pilot")

export const schemaCommand = Command.make(
  "schema",
  {
    kind: Flag.Literals("kind", SCENARIO_KINDS).pipe(
      Flag.withDefault("pilot" as const),
      Flag.withDescription("the scenario kind: pilot (default), money or issuance"),
    ),
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("write to this file instead of stdout")),
  },
  Effect.fn(function* ({ kind, out }) {
    const text = `${JSON.stringify(scenarioJsonSchema(kind), null, 2)}\n`
    if (out._tag === "None") return yield* Console.log(text)
    const written = yield* Effect.try({
      try: () => writeFileSync(out.value, text),
      catch: (error) =>
        new BadInput({
          reason: "invalid-flag",
          subject: "tsm-twin schema",
          problems: [{ at: "--out", text: `cannot write ${out.value}: ${String(error)}` }],
        }),
    })
    yield* Console.log(`wrote ${out.value}`)
    return written
  }),
).pipe(
  Command.withDescription(
    "Print the JSON Schema of a scenario kind (for editor completion); objects are closed, as validation is.",
  ),
  Command.withExamples([
    { command: "tsm-twin schema --out pilot.schema.json", description: "pilot scenarios" },
    { command: "tsm-twin schema --kind money", description: "money scenarios, to stdout" },
  ]),
)
