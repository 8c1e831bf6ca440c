"""The kernel benchmark's M/M/8 model (bench/kernel.bench.ts) in SimPy 2.3 (Debian's python3-simpy),
as generator processes: one process per customer plus a source, a Resource of 8 servers, time in
microseconds. Prints one JSON line with the customers served, the mean wait, and the CPU seconds
(time.process_time) and wall seconds of the timed run. A warm-up run on a tenth of the customers
comes first, as on the TypeScript side (CPython has no JIT, so it mostly warms caches).
Usage: python3 mmc_simpy2.py CUSTOMERS"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

SERVERS = 8
RHO = 0.9
SERVICE_US_MEAN = 1_000_000
INTERARRIVAL_US_MEAN = SERVICE_US_MEAN / (RHO * SERVERS)


class Customer(Process):
    def visit(self, servers, stats, rng):
        arrival = now()
        yield request, self, servers
        stats[0] += now() - arrival
        stats[1] += 1
        yield hold, self, rng.expovariate(1 / SERVICE_US_MEAN)
        yield release, self, servers


class Source(Process):
    def generate(self, customers, servers, stats, rng):
        for _ in range(customers):
            yield hold, self, rng.expovariate(1 / INTERARRIVAL_US_MEAN)
            c = Customer()
            activate(c, c.visit(servers, stats, rng))


def run(customers):
    rng = random.Random(42)
    initialize()
    servers = Resource(capacity=SERVERS)
    stats = [0.0, 0]
    source = Source()
    activate(source, source.generate(customers, servers, stats, rng))
    simulate(until=1e18)
    return stats


def main():
    customers = int(sys.argv[1])
    run(max(1, customers // 10))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    wait_sum, served = run(customers)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(json.dumps({"customers": served, "waitUsMean": wait_sum / served, "cpuSeconds": cpu, "wallSeconds": wall}))


main()
