/**
 * `tsm-twin schema [--out file]`: the JSON Schema (draft 2020-12) of pilot scenarios, generated from
 * the same effect Schema that decodes them (Schema.toJsonSchemaDocument), for editor completion:
 * point a file's "$schema" or the editor's json.schemas setting at it.
 */
import { writeFileSync } from "node:fs"
import { Console, Effect, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { PilotScenario } from "../../model/world/pilot/pilot-scenario.ts"

export const pilotJsonSchema = (): Record<string, unknown> => {
  const doc = Schema.toJsonSchemaDocument(PilotScenario)
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "tsm-twin pilot scenario",
    ...doc.schema,
    ...(Object.keys(doc.definitions ?? {}).length > 0 ? { $defs: doc.definitions } : {}),
  }
}

export const schemaCommand = Command.make(
  "schema",
  {
    out: Flag.String("out").pipe(Flag.optional, Flag.withDescription("write to this file instead of stdout")),
  },
  Effect.fn(function* ({ out }) {
    const text = `${JSON.stringify(pilotJsonSchema(), null, 2)}\n`
    if (out._tag === "Some") {
      writeFileSync(out.value, text)
      yield* Console.log(`wrote ${out.value}`)
    } else yield* Console.log(text)
  }),
).pipe(Command.withDescription("Print the JSON Schema of pilot scenario files (for editor completion)."))
