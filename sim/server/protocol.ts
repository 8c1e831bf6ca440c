/**
 * The viewer's ws protocol (DESIGN.md §3 "server: ws protocol (schema only)"; §4 "Viewer"): every
 * message in both directions as a Schema, so one definition validates what clients send, types
 * what the server builds, and decodes frames in the browser. The viewer imports this file and
 * nothing else of sim/, hence it imports only `effect`.
 *
 * Traffic is one-way except for run-control commands (DESIGN.md §2): the server sends `hello` on
 * connect (and again when the run is replaced), `frame`s at ≤ 10 Hz, `detail` in answer to
 * `inspect`, `window` in answer to `window`, `ack` for each accepted command and `error` for each
 * refused message; clients send commands. Every bound a side relies on is declared in PROTOCOL_LIMITS.
 */
import { Schema } from "effect"

/**
 * Bumped on any incompatible change; the hello carries it and a client may state its own.
 * 2: frames carry time-series samples as columns (SeriesColumns), which a version-1 client
 * would not read.
 */
export const PROTOCOL_VERSION = 2

/**
 * The version of recorded run files (their header's `protocol`), apart from the wire protocol's:
 * a run file holds the recorder's records, which the change to columnar frames left as they were,
 * so files recorded before it still replay.
 */
export const RUN_FILE_VERSION = 1

export const PROTOCOL_LIMITS = {
  /** Frames per second a server may send (the issue's ≤ 10 Hz). */
  framesPerSecondMax: 10,
  /** Records one frame may carry; beyond it the server decimates and counts `dropped`. */
  frameRecordsMax: 512,
  /** Serialized bytes of one frame (or detail); a frame over it is cut down before sending. */
  frameBytesMax: 256 * 1024,
  /** A client message over this many bytes is refused with an `error` (the connection stays). */
  clientMessageBytesMax: 4 * 1024,
  /** Anything over this is not read at all: the ws layer closes the connection (code 1009). */
  clientMessageBytesHardMax: 64 * 1024,
  /** Events one `step` command may ask for. */
  stepEventsMax: 1_000_000,
  /** The largest real-time factor (simulated seconds per wall second) a client may ask for. */
  speedMax: 1e9,
  /** Entries in the hello's scenario and fault catalogues. */
  catalogueMax: 64,
  /** Points one `window` answer may carry (min/max pairs past it: sim/server/series-store.ts). */
  windowPointsMax: 2048,
  /** Fields one `window` request may name. */
  windowFieldsMax: 8,
} as const

const Id = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64))
const Text = Schema.String.check(Schema.isMaxLength(256))
const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
/** A correlation number a client may attach to a command; the `ack` or `error` echoes it. */
const RequestId = Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** 31 })))

// ---- client → server --------------------------------------------------------------------------

export const ClientHello = Schema.Struct({ type: Schema.Literal("hello"), protocol: Count, id: RequestId })
export const Pause = Schema.Struct({ type: Schema.Literal("pause"), id: RequestId })
export const Resume = Schema.Struct({ type: Schema.Literal("resume"), id: RequestId })
export const Step = Schema.Struct({
  type: Schema.Literal("step"),
  events: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: PROTOCOL_LIMITS.stepEventsMax })),
  id: RequestId,
})
/** `factor` is simulated seconds per wall second; null runs as fast as possible. */
export const Speed = Schema.Struct({
  type: Schema.Literal("speed"),
  factor: Schema.NullOr(
    Schema.Finite.check(
      Schema.isBetween({ minimum: 0, maximum: PROTOCOL_LIMITS.speedMax, exclusiveMinimum: true }),
    ),
  ),
  id: RequestId,
})
/** Injects a fault from the scenario's catalogue (the hello lists the ids) at the current instant. */
export const Inject = Schema.Struct({ type: Schema.Literal("inject"), fault: Id, id: RequestId })
/** Replaces the run with another scenario of the catalogue, same seed. */
export const ChooseScenario = Schema.Struct({ type: Schema.Literal("scenario"), scenario: Id, id: RequestId })
export const Restart = Schema.Struct({
  type: Schema.Literal("restart"),
  seed: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  id: RequestId,
})
/**
 * Runs on and pauses at the first run-control boundary where the target is met: the simulated
 * instant `tUs` (µs since the run's epoch) reached, the next fault window started, or the next
 * traced issuance ended. The server acknowledges at once; the pause shows in the progress.
 */
export const RunTo = Schema.Struct({
  type: Schema.Literal("run-to"),
  until: Schema.Literals(["instant", "fault", "issuance"]),
  tUs: Schema.optionalKey(Count),
  id: RequestId,
})
export type RunTo = typeof RunTo.Type
/** Asks for the "why" of a phase KPI: the run's attribution text, as the report words it. */
export const Explain = Schema.Struct({ type: Schema.Literal("explain"), kpi: Id, id: RequestId })
/** Asks for the recorded messages of one flow (an issuance or a transaction). */
export const Inspect = Schema.Struct({ type: Schema.Literal("inspect"), flow: Id, id: RequestId })

/**
 * Asks for a span of one time series at the server's full resolution (sim/server/series-store.ts):
 * the viewer sends it when the user zooms into a span narrower than its own min/max buckets.
 * `series` is the record's series name; `fields` the fields wanted (all when empty); at most
 * `points` points come back (min/max pairs of equal runs of samples beyond that).
 */
export const Window = Schema.Struct({
  type: Schema.Literal("window"),
  series: Id,
  fields: Schema.Array(Id).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowFieldsMax)),
  fromUs: Count,
  toUs: Count,
  points: Schema.Int.check(Schema.isBetween({ minimum: 2, maximum: PROTOCOL_LIMITS.windowPointsMax })),
  id: RequestId,
})
export type Window = typeof Window.Type

export const ClientMessage = Schema.Union([
  ClientHello,
  Pause,
  Resume,
  Step,
  Speed,
  Inject,
  ChooseScenario,
  Restart,
  Inspect,
  RunTo,
  Explain,
  Window,
])
export type ClientMessage = typeof ClientMessage.Type
/** What a client may send after its hello. */
export type Request = Exclude<ClientMessage, { readonly type: "hello" }>
/** The commands a run session answers (a `window` is answered by the server itself). */
export type Command = Exclude<Request, { readonly type: "window" }>

// ---- server → client --------------------------------------------------------------------------

export const CatalogueEntry = Schema.Struct({ id: Id, title: Text })
export type CatalogueEntry = typeof CatalogueEntry.Type

export const RunInfo = Schema.Struct({
  scenario: Id,
  title: Text,
  seed: Count,
  /** Simulated instant at which the run ends, µs. */
  endUs: Count,
  /** Simulated instant of tUs = 0 as µs since the Unix epoch, so the viewer can show dates. */
  epochUs: Count,
})
export type RunInfo = typeof RunInfo.Type

export const ServerHello = Schema.Struct({
  type: Schema.Literal("hello"),
  protocol: Schema.Literal(PROTOCOL_VERSION),
  server: Schema.Literal("tsm-twin"),
  run: RunInfo,
  scenarios: Schema.Array(CatalogueEntry).check(Schema.isMaxLength(PROTOCOL_LIMITS.catalogueMax)),
  faults: Schema.Array(CatalogueEntry).check(Schema.isMaxLength(PROTOCOL_LIMITS.catalogueMax)),
  limits: Schema.Struct({
    framesPerSecondMax: Count,
    frameRecordsMax: Count,
    frameBytesMax: Count,
    clientMessageBytesMax: Count,
  }),
})
export type ServerHello = typeof ServerHello.Type

export const RunState = Schema.Literals(["idle", "running", "paused", "done"])

export const Progress = Schema.Struct({
  state: RunState,
  tUs: Count,
  events: Count,
  eventsPerSecond: Schema.Finite,
  /** The real-time factor in force; null = as fast as possible. */
  speed: Schema.NullOr(Schema.Finite),
})
export type Progress = typeof Progress.Type

/**
 * A recorder record as the sinks write it (sim/recorder): `{ tUs, signal, payload }` for a signal,
 * `{ tUs, series, ...values }` for a time-series sample. The protocol keeps records opaque; the
 * viewer decodes payloads with model/signals.
 */
export const WireRecord = Schema.Record(Schema.String, Schema.Unknown)
export type WireRecord = typeof WireRecord.Type

/**
 * Time-series samples of one series in columns (protocol 2): the sample records
 * `{ tUs, series, field: number, … }` of a frame, with one key list for all of them, the instants
 * in `t` and one array per field in `values`, in time order — the records' key names were most
 * of a frame's bytes. The viewer turns them back into records (viewer/src/frame-records.ts).
 */
export const SeriesColumns = Schema.Struct({
  series: Id,
  fields: Schema.Array(Id).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowFieldsMax)),
  t: Schema.Array(Schema.Finite).check(Schema.isMaxLength(PROTOCOL_LIMITS.frameRecordsMax)),
  values: Schema.Array(
    Schema.Array(Schema.Finite).check(Schema.isMaxLength(PROTOCOL_LIMITS.frameRecordsMax)),
  ).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowFieldsMax)),
})
export type SeriesColumns = typeof SeriesColumns.Type

export const Frame = Schema.Struct({
  type: Schema.Literal("frame"),
  seq: Count,
  /** True for the first frame a client gets: it carries the state so far, not a delta. */
  snapshot: Schema.Boolean,
  progress: Progress,
  /** The run's SM3 event-log digest, known once the run is done; null before. */
  digest: Schema.NullOr(Schema.String.check(Schema.isMaxLength(64))),
  records: Schema.Array(WireRecord).check(Schema.isMaxLength(PROTOCOL_LIMITS.frameRecordsMax)),
  /** Time-series samples in columns; with `records`, at most frameRecordsMax records in all. */
  columns: Schema.optionalKey(
    Schema.Array(SeriesColumns).check(Schema.isMaxLength(PROTOCOL_LIMITS.frameRecordsMax)),
  ),
  /** Records left out of this frame by decimation or the byte bound. */
  dropped: Count,
})
export type Frame = typeof Frame.Type

export const Detail = Schema.Struct({
  type: Schema.Literal("detail"),
  flow: Id,
  records: Schema.Array(WireRecord).check(Schema.isMaxLength(PROTOCOL_LIMITS.frameRecordsMax)),
  id: RequestId,
})
export type Detail = typeof Detail.Type

/** The answer to `explain`: one paragraph per phase target of the KPI, as the report words it. */
export const Explanation = Schema.Struct({
  type: Schema.Literal("explanation"),
  kpi: Id,
  paragraphs: Schema.Array(Schema.String.check(Schema.isMaxLength(1024))).check(Schema.isMaxLength(8)),
  id: RequestId,
})
export type Explanation = typeof Explanation.Type

/** The answer to `window`: the span's instants and one array per field, in time order. */
export const SeriesWindow = Schema.Struct({
  type: Schema.Literal("window"),
  series: Id,
  fields: Schema.Array(Id).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowFieldsMax)),
  fromUs: Count,
  toUs: Count,
  t: Schema.Array(Schema.Finite).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowPointsMax)),
  values: Schema.Array(
    Schema.Array(Schema.Finite).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowPointsMax)),
  ).check(Schema.isMaxLength(PROTOCOL_LIMITS.windowFieldsMax)),
  /** Raw samples one point stands for at most: 1 is every sample as the run produced it. */
  resolution: Count,
  id: RequestId,
})
export type SeriesWindow = typeof SeriesWindow.Type

export const Ack = Schema.Struct({ type: Schema.Literal("ack"), command: Id, id: RequestId })
export type Ack = typeof Ack.Type

export const ErrorCode = Schema.Literals([
  "malformed",
  "too-large",
  "invalid",
  "version",
  "unknown-fault",
  "unknown-scenario",
  "unknown-flow",
  "unknown-series",
  "rejected",
])
export type ErrorCode = typeof ErrorCode.Type

export const ErrorMessage = Schema.Struct({
  type: Schema.Literal("error"),
  code: ErrorCode,
  /** What was wrong and where, e.g. `Expected number at ["events"]`. */
  message: Schema.String.check(Schema.isMaxLength(1024)),
  id: RequestId,
})
export type ErrorMessage = typeof ErrorMessage.Type

export const ServerMessage = Schema.Union([
  ServerHello,
  Frame,
  Detail,
  Explanation,
  SeriesWindow,
  Ack,
  ErrorMessage,
])
export type ServerMessage = typeof ServerMessage.Type

// ---- recorded run files -----------------------------------------------------------------------

/**
 * A recorded run file is NDJSON: this header, then the recorder's records as the NDJSON sink writes
 * them (WireRecord), then RunFileEnd when the run finished. The viewer replays such a file without
 * a server by folding the records exactly as it folds live frames.
 */
export const RunFileHeader = Schema.Struct({
  type: Schema.Literal("run"),
  protocol: Schema.Literal(RUN_FILE_VERSION),
  run: RunInfo,
})
export type RunFileHeader = typeof RunFileHeader.Type

export const RunFileEnd = Schema.Struct({
  type: Schema.Literal("end"),
  tUs: Count,
  events: Count,
  digest: Schema.String.check(Schema.isMaxLength(64)),
})
export type RunFileEnd = typeof RunFileEnd.Type
