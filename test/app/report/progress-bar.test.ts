// Proves the progress line: share, simulated date, events/s and ETA computed from the update and
// the elapsed time; a terminal gets one line redrawn in place, a pipe plain lines with no ANSI.
import { describe, expect, it } from "vitest"
import { formatEta, ProgressBar, progressLine } from "../../../app/cli/progress-bar.ts"

describe("progress bar", () => {
  it("states share, date, events/s and the remaining time", () => {
    const line = progressLine({ done: 30, total: 120, simulatedDate: "2014-08-31", events: 50_000 }, 10_000)
    expect(line).toContain(" 25%")
    expect(line).toContain("30/120")
    expect(line).toContain("2014-08-31")
    expect(line).toContain("5,000 events/s")
    // A quarter took 10 s, so three quarters remain for 30 s.
    expect(line).toContain("ETA 30s")
    expect(formatEta(3725)).toBe("1h02m")
  })

  it("redraws in place on a terminal and writes plain lines without ANSI elsewhere", () => {
    const tty: string[] = []
    const bar = new ProgressBar({ isTTY: true, write: (t) => tty.push(t) }, 0)
    bar.update({ done: 1, total: 2 })
    bar.update({ done: 2, total: 2 })
    bar.finish()
    expect(tty[0]!.startsWith("\r\x1b[2K")).toBe(true)
    expect(tty.at(-1)).toBe("\n")
    const pipe: string[] = []
    const plain = new ProgressBar({ isTTY: false, write: (t) => pipe.push(t) }, 0, 60_000)
    plain.update({ done: 1, total: 3 })
    plain.update({ done: 2, total: 3 })
    plain.update({ done: 3, total: 3 })
    plain.finish()
    // The second update falls inside the plain interval; the last one always prints.
    expect(pipe).toHaveLength(2)
    expect(pipe.join("")).not.toMatch(/\x1b|\r/)
  })
})
