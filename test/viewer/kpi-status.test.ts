// Proves the KPI panel's wording of a phase target: pass and fail stay as decided, a pending target
// stays pending while the run goes on, and becomes "not reached" once the run has ended short of
// its deadline (issue 11 §5), never pass or fail.
import { describe, expect, it } from "vitest"
import { nextTargetStatus } from "../../model/signals/kpi.ts"
import { shownStatus } from "../../viewer/src/kpi-status.ts"

describe("a phase target's cell", () => {
  it("is pending while the run goes on and not reached once it has ended before the deadline", () => {
    const deadlineUs = 100
    // A run that stops at t = 60 with the value short of the target never judges it.
    const status = nextTargetStatus("pending", 5, 10, 60, deadlineUs)
    expect(status).toBe("pending")
    expect(shownStatus(status, false)).toBe("pending")
    expect(shownStatus(status, true)).toBe("not reached")
  })

  it("keeps pass and fail as the run decided them, ended or not", () => {
    const passed = nextTargetStatus("pending", 10, 10, 60, 100)
    const failed = nextTargetStatus("pending", 5, 10, 100, 100)
    expect([passed, failed]).toEqual(["pass", "fail"])
    for (const ended of [false, true]) {
      expect(shownStatus(passed, ended)).toBe("pass")
      expect(shownStatus(failed, ended)).toBe("fail")
    }
  })
})
