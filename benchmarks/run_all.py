"""Run every benchmark script in this folder, the scale figures first (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    scripts = [HERE / "bench_scale.py", *sorted(p for p in HERE.glob("bench_*.py") if p.name != "bench_scale.py")]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        if subprocess.run([sys.executable, str(script)]).returncode:
            failed.append(script.name)
    sys.exit(1 if failed else 0)
