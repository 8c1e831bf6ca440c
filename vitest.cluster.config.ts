import { defineConfig } from "vitest/config"

// The cluster tests start a real PostgreSQL and several runner processes and take minutes, so they
// run apart from `npm test`: `npm run test:cluster` (CI runs both).
export default defineConfig({
  test: {
    include: ["test/**/*.process.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
})
