#!/usr/bin/env bash
# Measures a full render of examples/brewsecops as a whole process (release build), many times.
# Usage: scripts/bench.sh [runs]   — prints min / median / mean wall time in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
cargo build --release --quiet
bin=target/release/brewgen
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp examples/brewsecops/brewgen.toml "$out/brewgen.toml"
python3 - "$bin" "$out" "$runs" <<'PY'
import os, shutil, statistics, subprocess, sys, time
binary, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    tree = os.path.join(out, "infra")
    shutil.rmtree(tree, ignore_errors=True)  # a full render: every file written
    t = time.perf_counter()
    subprocess.run([binary, "render", "-q", "-c", os.path.join(out, "brewgen.toml")], check=True)
    times.append((time.perf_counter() - t) * 1000)
files = sum(len(f) for _, _, f in os.walk(os.path.join(out, "infra")))
print(f"full render of examples/brewsecops ({files} files), {runs} runs: "
      f"min {min(times):.2f} ms, median {statistics.median(times):.2f} ms, mean {statistics.mean(times):.2f} ms")
PY
