"""Fuzz the loaders: 5,000 seeded mutants of every sample log, app fixture and bad input.

Each mutant (``tests/bad_inputs/mutate.py``) is checked in a worker process that has imported
liftpace once, under an address-space limit; the harness watches it. Per mutant:

* ``read_logs(path, errors="report")`` and ``read_logs(path)`` may only refuse the file with a
  :class:`~analysis.LogFormatError`, never "This is a bug in liftpace" (an *internal error*);
* ``find_plan([path])`` may only raise :class:`~analysis.LogFormatError`;
* the worker must survive: a process that dies (a Rust ``abort``, a segfault, the kernel's
  OOM killer) is an *abort*, a mutant that runs past the time limit a *hang*; the worker is
  restarted and the run goes on.

The run ends with one line per failure (seed, mutant number, what was done, the error) and
the totals; it exits 1 unless internal errors, aborts and hangs are all 0::

    .venv/bin/python benchmarks/bench_fuzz.py            # 5,000 mutants
    .venv/bin/python benchmarks/bench_fuzz.py --mutants 500 --seed-filter gpx
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MUTATE = HERE.parent / "tests" / "bad_inputs" / "mutate.py"
#: Address-space limit of the worker: a mutant that needs more fails there, not on the machine.
WORKER_MEMORY = 3 * 2**30
#: Longest a mutant may take (liftpace promises 20 s per hostile file).
TIME_LIMIT_S = 20.0


def _mutate_module():
    spec = importlib.util.spec_from_file_location("mutate", MUTATE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate"] = module
    spec.loader.exec_module(module)
    return module


def check_one(path: Path) -> dict:
    """What liftpace does with one file: ``{"outcome": "ok" | "internal", "error": ...}``."""
    from analysis import LogFormatError, read_logs
    from analysis.loaders.base import INTERNAL_ERROR
    from analysis.loaders.plan import find_plan

    bug = INTERNAL_ERROR.split("(")[0]
    log = read_logs(path, errors="report")
    bugs = [p for p in log.problems["problem"].dropna() if bug in p]
    if bugs:
        return {"outcome": "internal", "error": bugs[0][:300]}
    try:
        read_logs(path)
    except LogFormatError as exc:
        if bug in str(exc):
            return {"outcome": "internal", "error": str(exc)[:300]}
    try:
        find_plan([path])
    except LogFormatError:
        pass
    return {"outcome": "ok", "error": None}


def _worker() -> None:
    """Read paths from stdin, answer one JSON line each (run in the child process)."""
    import traceback
    import warnings

    warnings.simplefilter("ignore")
    for line in sys.stdin:
        path = Path(line.strip())
        try:
            result = check_one(path)
        except BaseException as exc:  # anything escaping liftpace is an internal error
            tb = traceback.format_exception(exc)
            result = {"outcome": "internal", "error": f"{type(exc).__name__}: {exc}"[:300],
                      "where": "".join(tb[-3:])[-600:]}
        print(json.dumps(result), flush=True)


class Worker:
    """The child process that checks mutants; restarted after an abort or a hang."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))

        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, preexec_fn=limit, text=True, bufsize=1,
        )

    def check(self, path: Path, timeout: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            return {"outcome": "hang", "error": f"no answer within {timeout:.0f} s"}
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            return {"outcome": "abort", "error": f"worker died (exit {code})"}
        return json.loads(line)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=5000)
    parser.add_argument("--seed-filter", default="", help="only seeds whose name contains this")
    parser.add_argument("--start", type=int, default=0, help="first mutant number")
    args = parser.parse_args()
    mutate = _mutate_module()
    seeds = [p for p in mutate.seed_files() if args.seed_filter in p.name]
    worker = Worker()
    counts = {"ok": 0, "internal": 0, "abort": 0, "hang": 0}
    failures, slowest = [], (0.0, "")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.start, args.start + args.mutants):
            seed = seeds[k % len(seeds)]
            name, data, how = mutate.mutant(seed, k)
            folder = Path(tmp) / str(k)
            folder.mkdir()
            path = folder / name
            path.write_bytes(data)
            t0 = time.perf_counter()
            result = worker.check(path, TIME_LIMIT_S)
            seconds = time.perf_counter() - t0
            slowest = max(slowest, (seconds, f"{seed.name} #{k} ({how})"))
            counts[result["outcome"]] += 1
            if result["outcome"] != "ok":
                failures.append((seed.name, k, how, result))
                print(f"{result['outcome'].upper()}: {seed.name} #{k} ({how}): {result['error']}", flush=True)
                if result.get("where"):
                    print("   " + result["where"].replace("\n", "\n   "), flush=True)
            path.unlink()
            folder.rmdir()
    worker.stop()
    total = time.perf_counter() - started
    n = sum(counts.values())
    print(f"\n{n} mutants of {len(seeds)} seed files in {total:.0f} s ({1000 * total / max(n, 1):.0f} ms each); "
          f"slowest {slowest[0]:.1f} s: {slowest[1]}")
    print(f"refused or loaded cleanly: {counts['ok']}; internal errors: {counts['internal']}; "
          f"aborts: {counts['abort']}; hangs (over {TIME_LIMIT_S:.0f} s): {counts['hang']}")
    return 0 if not failures else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        os.environ.setdefault("TZ", "UTC")
        _worker()
    else:
        sys.exit(main())
