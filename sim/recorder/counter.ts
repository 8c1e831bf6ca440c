/** A named monotone count of occurrences (orders placed, messages lost), reset after warm-up. */
export class Counter {
  private n = 0

  constructor(readonly name: string) {}

  increment(by = 1): void {
    this.n += by
  }

  get value(): number {
    return this.n
  }

  reset(): void {
    this.n = 0
  }
}
