/**
 * A resource whose users can be preempted (SimPy's PreemptiveResource), for processes only.
 *
 * Semantics: lower priority numbers are more urgent. When a request finds every server busy, the
 * victim is the user with the largest priority number, the most recently granted among equals;
 * it is preempted only if the newcomer is strictly more urgent, otherwise the newcomer waits in
 * (priority, arrival) order. A preempted user loses its server at once and its process receives an
 * `Interrupt` whose cause is a `Preempted` value (who preempted it, since when it held the
 * server). It is not re-queued: resuming the work is the model's decision (re-request, give up).
 * Releasing a request that was preempted or never granted returns false and changes nothing.
 */
import { SimEvent } from "./event.ts"
import type { Kernel } from "./kernel.ts"
import type { Process } from "./process.ts"

export class Preempted {
  constructor(
    readonly by: Process<unknown>,
    readonly usageSinceUs: number,
  ) {}
}

export class PreemptiveRequest extends SimEvent<undefined> {
  grantedAtUs = -1
  holding = false
  constructor(
    readonly owner: Process<unknown>,
    readonly priority: number,
    readonly seq: number,
  ) {
    super(owner.kernel)
  }
}

export class PreemptiveResource {
  private readonly users: PreemptiveRequest[] = []
  private readonly waiting: PreemptiveRequest[] = []
  private seq = 0

  constructor(
    readonly kernel: Kernel,
    readonly capacity: number,
    readonly queueMax = 1 << 20,
  ) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1)) throw new RangeError(`capacity ${capacity}`)
  }

  get busy(): number {
    return this.users.length
  }

  get queueLength(): number {
    return this.waiting.length
  }

  request(owner: Process<unknown>, priority = 0): PreemptiveRequest {
    const request = new PreemptiveRequest(owner, priority, this.seq++)
    if (this.users.length < this.capacity) {
      this.grant(request)
      return request
    }
    const victim = this.victim()
    if (victim.priority > priority) {
      this.users.splice(this.users.indexOf(victim), 1)
      victim.holding = false
      victim.owner.interrupt(new Preempted(owner, victim.grantedAtUs))
      this.grant(request)
      return request
    }
    if (this.waiting.length >= this.queueMax) throw new RangeError(`waiting line full (${this.queueMax})`)
    this.waiting.push(request)
    return request
  }

  release(request: PreemptiveRequest): boolean {
    const i = this.users.indexOf(request)
    if (i < 0) {
      const w = this.waiting.indexOf(request)
      if (w >= 0) this.waiting.splice(w, 1)
      return false
    }
    this.users.splice(i, 1)
    request.holding = false
    if (this.waiting.length > 0) this.grant(this.nextWaiting())
    return true
  }

  private grant(request: PreemptiveRequest): void {
    request.grantedAtUs = this.kernel.nowUs
    request.holding = true
    this.users.push(request)
    request.succeed(undefined)
  }

  /** The least urgent user; among equals the most recently granted (largest sequence). */
  private victim(): PreemptiveRequest {
    let v = this.users[0]!
    for (const u of this.users) {
      if (u.priority > v.priority || (u.priority === v.priority && u.seq > v.seq)) v = u
    }
    return v
  }

  private nextWaiting(): PreemptiveRequest {
    let best = 0
    for (let i = 1; i < this.waiting.length; i++) {
      const w = this.waiting[i]!
      const b = this.waiting[best]!
      if (w.priority < b.priority || (w.priority === b.priority && w.seq < b.seq)) best = i
    }
    return this.waiting.splice(best, 1)[0]!
  }
}
