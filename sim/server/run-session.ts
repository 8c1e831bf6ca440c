/**
 * What the viewer server needs from a live run, whatever the model is: where its records come
 * from, what it is (hello), how far it got (progress, digest), and one entry point for commands.
 * The control plane (app/live/) implements it over the kernel's run control, so the server
 * never reaches a party (DESIGN.md §2: commands reach run control only).
 */
import type { BroadcastSink } from "../recorder/broadcast-sink.ts"
import type { RecordLine } from "../recorder/sink.ts"
import type { CatalogueEntry, Command, ErrorCode, Progress, RunInfo } from "./protocol.ts"

export type CommandOutcome =
  | { readonly ok: true }
  | { readonly ok: true; readonly detail: ReadonlyArray<RecordLine> }
  | { readonly ok: true; readonly paragraphs: ReadonlyArray<string> }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string }

export interface RunSession {
  /** Records of the current run; stays the same sink across restarts. */
  readonly records: BroadcastSink
  readonly scenarios: ReadonlyArray<CatalogueEntry>
  info(): RunInfo
  /** The fault catalogue of the current scenario. */
  faults(): ReadonlyArray<CatalogueEntry>
  progress(): Progress
  /** The SM3 event-log digest once the run is done; null while it runs. */
  digest(): string | null
  command(command: Command): Promise<CommandOutcome>
  /**
   * A frame (or a new client's snapshot) is about to be built from the records so far: a run that
   * writes its newest-value records only when they will be framed writes them now.
   */
  beforeFrame?(): void
  /** Registers a listener for "the run was replaced" (restart, another scenario); returns its remover. */
  onReplace(listener: () => void): () => void
}
