"""How much address space (`ulimit -v`) newsdedup needs, and how many threads DuckDB gets under it.

Standard library only: `cli.address_space_problem` asks before anything large (DuckDB, scipy) is imported.
"""

from __future__ import annotations

import os

# `ulimit -v` (RLIMIT_AS) caps address space, not memory: DuckDB and glibc reserve address space for each of
# DuckDB's threads (a malloc arena of 64 MiB, a stack, its buffers), OpenBLAS (scipy, under datasketch) for each
# of its own, one a CPU, far beyond what they use. Measured on 2 CPUs (session 42): a 2 M-row write, GROUP BY
# and CHECKPOINT beside newsdedup.pipeline's imports (benchmarks/address_space_floor.py) with DuckDB's `threads`
# set to 1 / 2 / 4 / 8 works from 1,089 / 1,151 / 1,321 / 1,554 MiB (66 MiB a thread), OPENBLAS_NUM_THREADS 1 -> 2
# adds 47 MiB; a first `newsdedup run` of 11 pages, and a second, worked at 1,664 MiB and failed at 1,632 with
# DuckDB on one thread, worked at 1,792 and failed at 1,728 on two (a thread a CPU, DuckDB's default). The
# floor is what one DuckDB thread needs with a margin; above it DuckDB gets the threads that fit
# (`duckdb_threads`), not one a CPU. It was 1.5 GiB + 256 MiB a CPU, refused below that (2,048 MiB here, 17.5 GiB
# on 64 CPUs): 1,792 MiB here and 5,760 MiB on 64 CPUs now (most of it OpenBLAS's, a thread a CPU).
ADDRESS_SPACE_BASE = 1536 * 2**20
ADDRESS_SPACE_PER_CPU = 64 * 2**20  # OpenBLAS's threads: one a CPU
ADDRESS_SPACE_PER_THREAD = 128 * 2**20  # each of DuckDB's threads

def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity: `taskset`, Docker's --cpuset-cpus), which OpenBLAS
    starts its threads for (measured: 1 thread pinned to one CPU, 3 on two); the machine's where the
    platform has no affinity. `os.cpu_count()` counted the machine's: a worker pinned to 2 of 64 CPUs was
    refused below 5,760 MiB, and DuckDB (which ignores the affinity) ran 64 threads on its 2 CPUs."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def address_space_need(threads: int, cpus: int | None = None) -> int:
    """The address space (bytes) newsdedup needs with DuckDB on `threads` threads, on `cpus` CPUs (default:
    those this process may use)."""
    cpus = cpus or usable_cpus()
    return ADDRESS_SPACE_BASE + ADDRESS_SPACE_PER_CPU * cpus + ADDRESS_SPACE_PER_THREAD * threads


def duckdb_threads() -> int | None:
    """The threads every connection is opened with: None (DuckDB's default, a thread a CPU of the machine,
    fewer under a cgroup CPU quota, which DuckDB reads) when the process may use every CPU and there is no
    address-space limit, or when that many fit under it; else a thread a CPU the process may use, and under
    a limit only as many as fit, at least one (below what one needs, the commands refuse before they start:
    `cli.address_space_problem`)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    cpus, machine = usable_cpus(), os.cpu_count() or 1
    if soft == resource.RLIM_INFINITY or soft >= address_space_need(cpus, cpus):
        return None if cpus >= machine else cpus
    return max(1, min(cpus, (soft - address_space_need(0, cpus)) // ADDRESS_SPACE_PER_THREAD))
