#!/usr/bin/env bash
# Measures brewgen as a whole process (release build) on examples/brewsecops:
#   full render   into an empty output directory (every file created),
#   no-op render  over an up-to-date tree (what CI and editors mostly run),
#   render --check.
# Usage: scripts/bench.sh [runs] [dir]   (dir defaults to a new temporary directory; pass a
# directory on tmpfs, e.g. /dev/shm, to separate brewgen's own time from the filesystem's)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
base=${2:-${TMPDIR:-/tmp}}
cargo build --release --quiet
bin=$PWD/target/release/brewgen
work=$(mktemp -d -p "$base")
trap 'rm -rf "$work"' EXIT
cp examples/brewsecops/brewgen.toml "$work/brewgen.toml"
python3 - "$bin" "$work" "$runs" <<'PY'
import os, shutil, statistics, subprocess, sys, time
binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = os.path.join(work, "brewgen.toml")
tree = os.path.join(work, "infra")

def measure(args, fresh):
    times = []
    for _ in range(runs):
        if fresh:
            shutil.rmtree(tree, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([binary, *args, "-c", config], check=True)
        times.append((time.perf_counter() - t) * 1000)
    return f"min {min(times):6.2f} ms  median {statistics.median(times):6.2f} ms"

print(f"examples/brewsecops, {runs} runs each, in {work}")
print("  full render    ", measure(["render", "-q"], True))
files = sum(len(f) for _, _, f in os.walk(tree))
print("  no-op render   ", measure(["render", "-q"], False))
print("  render --check ", measure(["render", "-q", "--check"], False))
print(f"  ({files} files in the tree)")
PY
