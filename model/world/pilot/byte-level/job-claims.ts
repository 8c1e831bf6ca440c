/**
 * Which thread runs a byte-plane job (worker-plane.ts): each posted job has a claim slot in shared
 * memory holding its ticket until a thread takes it, so a job runs once, on whichever thread gets
 * to it first — the worker in posting order, or the kernel's thread when it needs the result
 * before the worker reached it.
 */

/**
 * Claim slots (ticket mod CLAIM_SLOTS): a slot holds its job's ticket while the job is unclaimed,
 * 0 once a thread claimed it (or the kernel dropped it). Jobs posted and still unclaimed, at most:
 * an order in flight each, far above any scale run (4 MiB of shared memory).
 */
export const CLAIM_SLOTS = 1 << 20

/** Takes job `ticket` for the calling thread; false when another thread has (or it was dropped). */
export const claim = (slots: Int32Array, ticket: number): boolean =>
  Atomics.compareExchange(slots, ticket % CLAIM_SLOTS, ticket, 0) === ticket
