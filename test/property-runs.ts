/**
 * How many cases a long property or fuzz test runs. `npm test` (the everyday suite, kept under five
 * minutes on an idle 2-core machine) runs a tenth of the full count, at least 20 cases, so every
 * property still runs and can fail on every commit; `npm run test:full` (TSM_TWIN_FULL=1, which
 * CI also runs) runs the full count the test's author chose. The quick count is a sample of the
 * same arbitraries (fast-check's seed still varies per run), not a different test.
 */
export const FULL_RUNS = process.env.TSM_TWIN_FULL === "1"

export const propertyRuns = (full: number): number => (FULL_RUNS ? full : Math.max(20, Math.ceil(full / 10)))
