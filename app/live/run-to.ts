/**
 * The targets of the viewer's `run-to` command (issue #15 item 4), as conditions checked at the
 * live run's boundaries (live-pilot.ts `runTo`): a simulated instant, the next fault window's
 * start, the next traced issuance's end. Each is judged against what the run has when the command
 * arrives, so "next" means after now; a boundary falls every two simulated hours, so a target met
 * between two boundaries pauses the run at the next one.
 */
import type { RunTo } from "../../sim/server/protocol.ts"

/** What a target is judged on: the run's end, now, how many fault windows and traced issuances so far. */
export interface RunToSubject {
  readonly nowUs: number
  readonly endUs: number
  readonly faultWindows: () => number
  readonly tracedIssuances: () => number
}

/** The condition for `target`, or the reason it cannot be met. */
export const runToCondition = (
  target: RunTo,
  run: RunToSubject,
): { readonly met: (atUs: number) => boolean } | { readonly problem: string } => {
  switch (target.until) {
    case "instant": {
      const tUs = target.tUs
      if (tUs === undefined) return { problem: "run-to instant needs tUs (µs since the run's epoch)" }
      if (tUs <= run.nowUs) return { problem: `tUs ${tUs} is not after the run's clock (${run.nowUs})` }
      if (tUs > run.endUs) return { problem: `tUs ${tUs} is after the run's end (${run.endUs})` }
      return { met: (atUs) => atUs >= tUs }
    }
    case "fault": {
      const before = run.faultWindows()
      return { met: () => run.faultWindows() > before }
    }
    case "issuance": {
      const before = run.tracedIssuances()
      return { met: () => run.tracedIssuances() > before }
    }
  }
}
