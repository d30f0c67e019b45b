"""Python-side benchmarks: esmwidget against anywidget, in fresh processes, alternating.

Usage::

    make bench                                    # installs benchmarks/.venv, then runs this
    python benchmarks/run.py [--repeats N] [--json PATH] [--tiny] [--figure NAME ...]

Each figure for each package is one run of ``benchmarks/_measure.py`` in a new interpreter. The
packages alternate (esmwidget, anywidget, then anywidget, esmwidget, ...) and each repeat walks
every figure, so a burst of load from elsewhere on the machine lands on both packages. The
table shows the median with [min-max] over the repeats, and the ratio esmwidget/anywidget of
the medians. ``--tiny`` runs small sizes once; it marks anywidget's figures missing when
anywidget is not installed, so the smoke test needs no network.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEASURE = HERE / "_measure.py"
PACKAGES = ("esmwidget", "anywidget")

# figure: (what it measures, size for a full run, size for --tiny, metrics shown in the table)
FIGURES: dict[str, tuple[str, int, int, tuple[str, ...]]] = {
    "import": ("import in a fresh process", 0, 0, ("wall_ms", "cpu_ms", "modules")),
    "import_kernel": (
        "import in a process that loaded ipykernel.ipkernel",
        0,
        0,
        ("wall_ms", "cpu_ms", "modules"),
    ),
    "construct": ("construct {n} widgets", 1000, 20, ("wall_ms", "cpu_ms", "messages")),
    "set": ("{n} trait sets", 10_000, 100, ("wall_ms", "cpu_ms", "messages")),
    "set_hold": ("{n} trait sets in hold_sync", 10_000, 100, ("wall_ms", "cpu_ms", "messages")),
    "bytes": (
        "set a {n} MiB bytes trait (per set, message built)",
        10,
        1,
        ("wall_ms", "messages", "buffer_bytes", "json_bytes"),
    ),
    "close": ("close() {n} widgets", 1000, 20, ("wall_ms", "cpu_ms", "messages")),
    "memory": (
        "memory, {n} widgets (tracemalloc)",
        1000,
        20,
        (
            "bytes_per_widget",
            "retained_bytes_per_closed_widget",
            "second_round_growth_per_widget",
            "alive_after_close",
            "comms_registered_after_close",
        ),
    ),
}

# (figure, metric, largest esmwidget/anywidget ratio of the medians): docs/performance.md#targets.
RATIO_TARGETS = [
    ("import", "wall_ms", 0.35),
    ("construct", "wall_ms", 0.3),
    ("set", "wall_ms", 0.5),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, help="fresh-process runs per figure (default 7)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--tiny", action="store_true", help="small sizes, one run (smoke test)")
    parser.add_argument("--figure", action="append", choices=FIGURES, help="only these figures")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.tiny else 7)
    figures = args.figure or list(FIGURES)
    sizes = {f: FIGURES[f][2 if args.tiny else 1] for f in figures}

    packages = [p for p in PACKAGES if importlib.util.find_spec(p) is not None]
    missing = [p for p in PACKAGES if p not in packages]
    if "esmwidget" in missing or (missing and not args.tiny):
        print(
            f"run.py: {', '.join(missing)} not importable by {sys.executable}. "
            "Run `make bench`, which installs both into benchmarks/.venv.",
            file=sys.stderr,
        )
        return 2
    for package in missing:
        print(f"run.py: {package} is not installed; its figures are marked missing.")

    machine = describe_machine(packages)
    print(f"# {machine['cpu']}, {machine['nproc']} cores, Python {machine['python']}")
    print(f"# {', '.join(f'{k} {v}' for k, v in machine['versions'].items())}")
    print(f"# {repeats} fresh process(es) per figure and package; load {machine['load_start']}")
    print(f"# commit {machine['git']['commit'][:12]}, src/ dirty: {machine['git']['src_dirty']}")

    # Compile bytecode and warm the file cache, so the first timed import is not the odd one.
    for package in packages:
        measure("import", package, 0)

    runs: dict[tuple[str, str], list[dict]] = {(f, p): [] for f in figures for p in packages}
    started = time.perf_counter()
    for repeat in range(repeats):
        order = packages if repeat % 2 == 0 else packages[::-1]
        for figure in figures:
            for package in order:
                runs[figure, package].append(measure(figure, package, sizes[figure]))
        print(f"# repeat {repeat + 1}/{repeats} done ({time.perf_counter() - started:.0f} s)")
    machine["load_end"] = load_average()

    rows = summarize(figures, sizes, runs, packages)
    print()
    print(format_table(rows))
    print()
    if args.tiny:
        print("# --tiny: one run at small sizes checks the command, it measures nothing")
    for line in target_lines(rows, sizes):
        print(line)
    result = {
        "schema": 1,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine,
        "settings": {"tiny": args.tiny, "repeats": repeats, "sizes": sizes},
        "missing": missing,
        "results": rows,
        "targets": target_lines(rows, sizes),
        "details": {
            f"{f}/{p}": {k: v for k, v in rs[0].items() if not is_number(v)}
            for (f, p), rs in runs.items()
            if rs
        },
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


def measure(figure: str, package: str, size: int) -> dict:
    """Run one figure for one package in a fresh interpreter; return its metrics."""
    command = [sys.executable, str(MEASURE), figure, package, "--count", str(size)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("ANYWIDGET_HMR", None)  # no file watching in either package
    # pip byte-compiles what it installs, but the editable esmwidget is plain source: without
    # its .pyc files every process would recompile it (about 30 ms of "import" time).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        msg = f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}"
        raise SystemExit(msg)
    return json.loads(done.stdout.strip().splitlines()[-1])


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def summarize(
    figures: list[str],
    sizes: dict[str, int],
    runs: dict[tuple[str, str], list[dict]],
    packages: list[str],
) -> list[dict]:
    """One row per (figure, metric): per-package runs, min, median, max, and the ratio."""
    rows = []
    for figure in figures:
        title, _, _, shown = FIGURES[figure]
        metrics: dict[str, None] = {}
        for package in packages:
            first = runs[figure, package][0]
            metrics.update((m, None) for m in first if is_number(first[m]))
        for metric in metrics:
            row: dict = {
                "figure": figure,
                "title": title.format(n=f"{sizes[figure]:,}"),
                "metric": metric,
                "shown": metric in shown,
            }
            for package in PACKAGES:
                if package not in packages:
                    row[package] = None
                    continue
                values = [r[metric] for r in runs[figure, package] if metric in r]
                if not values:
                    row[package] = None
                    continue
                row[package] = {
                    "median": statistics.median(values),
                    "min": min(values),
                    "max": max(values),
                    "runs": values,
                }
            mine, theirs = row["esmwidget"], row["anywidget"]
            row["ratio"] = (
                mine["median"] / theirs["median"] if mine and theirs and theirs["median"] else None
            )
            rows.append(row)
    return rows


def target_lines(rows: list[dict], sizes: dict[str, int]) -> list[str]:
    """The targets, each with the figure it was judged on and whether it is met."""
    by_key = {(r["figure"], r["metric"]): r for r in rows}
    lines = []
    for figure, metric, limit in RATIO_TARGETS:
        row = by_key.get((figure, metric))
        if row is None:
            continue
        wall = row["ratio"]
        cpu_row = by_key.get((figure, "cpu_ms"))
        checks = {f"{metric} median": wall}
        if cpu_row is not None and cpu_row["ratio"] is not None:
            # Other work on the machine only ever adds time, so the fastest runs are a second
            # opinion on the medians.
            checks["cpu_ms median"] = cpu_row["ratio"]
            checks["cpu_ms min"] = cpu_row["esmwidget"]["min"] / cpu_row["anywidget"]["min"]
        if wall is None:
            verdict = "missing"
        elif all(r <= limit for r in checks.values()):
            verdict = "met"
        elif all(r > limit for r in checks.values()):
            verdict = "MISSED"
        else:
            verdict = "borderline (the checks disagree)"
        shown = ", ".join(f"{k} {'n/a' if r is None else f'{r:.3f}x'}" for k, r in checks.items())
        lines.append(f"target {figure} <= {limit}x anywidget: {shown} -> {verdict}")
    row = by_key.get(("construct", "messages"))
    if row is not None:
        sent = row["esmwidget"]["median"]
        expected = sizes["construct"]
        verdict = "met" if sent == expected else "MISSED"
        lines.append(
            f"target construct messages == {expected} (one comm_open per widget): "
            f"{sent:g} -> {verdict}"
        )
    return lines


def format_table(rows: list[dict]) -> str:
    """A Markdown table of the rows marked `shown`."""
    lines = [
        "| figure | metric | esmwidget median [min-max] | anywidget median [min-max] | ratio |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        if not row["shown"]:
            continue
        cells = [row["title"], row["metric"]]
        for package in PACKAGES:
            stats = row[package]
            cells.append(
                "missing"
                if stats is None
                else f"{fmt(stats['median'])} [{fmt(stats['min'])}-{fmt(stats['max'])}]"
            )
        cells.append("" if row["ratio"] is None else f"{row['ratio']:.3f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fmt(value: float) -> str:
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def describe_machine(packages: list[str]) -> dict:
    """CPU model, cores, OS, Python and the versions of the packages measured."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    versions = {}
    for name in [*packages, "ipywidgets", "traitlets", "comm"]:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return {
        "git": git_state(),
        "cpu": cpu,
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "os": os_name,
        "python": platform.python_version(),
        "versions": versions,
        "load_start": load_average(),
    }


def git_state() -> dict:
    """The commit measured, and whether `src/` had uncommitted changes (then they were measured)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False
            )
        except OSError:
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD"), "src_dirty": bool(git("status", "--short", "src"))}


if __name__ == "__main__":
    sys.exit(main())
