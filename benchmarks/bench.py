"""Measure ``factcheck validate`` against check-jsonschema and a bare parse, side by side.

For each size N this generates the synthetic workspace (``generate.py``), then times, each
in a fresh child process as a user or CI would run it:

  (a) ``factcheck validate`` cold: no ``.factcheck-cache/`` (the run writes it);
  (b) warm: the cache present and nothing changed;
  (c) one claim file changed since the last run;
  (d) check-jsonschema validating the same claim files against ``factcheck schema``;
  (e) a bare parse of the same files with ruamel.yaml's fastest loader
      (``YAML(typ="safe")``, which uses the C parser when ruamel.yaml.clib is installed);
  (f) ``factcheck validate --no-cache``;
  (g) ``factcheck site --no-cache`` into an empty directory (every page written);
  (h) the site rebuilt after one claim file changed (only its pages rewritten).

The site's target is g <= 3 x f.

and ``factcheck report`` in each format (table, markdown, json) against (v) ``factcheck
validate --no-cache``: cold (no cache; the run writes it) and warm (nothing changed).

Each measurement is repeated (``--repeat``) and the median kept. Peak memory is the most
the command's processes held at once: every ``SAMPLE_SECONDS`` the proportional set sizes
(PSS, which shares a page between the processes that map it, so forked workers are not
counted twice) of the child and all its descendants are summed, and the largest sum is
kept; the main process's own peak (``getrusage``, exact) is the floor. The script prints a
Markdown table with the ratios a/d, b/d, c/d and a/e, checks the issue's targets, and can
save everything as JSON.

Usage::

    python benchmarks/bench.py                      # N = 1,000, 10,000 and 50,000
    python benchmarks/bench.py --sizes 300 --repeat 1   # the quick check CI runs
    python benchmarks/bench.py --sizes 10000 --report-only   # only the report table
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the generator is a script beside this one)

ARG_BYTES = 1 << 20  # stay well under the kernel's limit on one command line
TARGET_MB = 300
REPORT_FORMATS = ("table", "markdown", "json")
REPORT_COLD_TARGET = 1.5  # x validate --no-cache
REPORT_WARM_TARGET = 0.5

# The child that runs factcheck in-process, so that getrusage sees its own peak.
FACTCHECK_CHILD = """
import json, resource, sys
from factcheck.cli import main
try:
    main(sys.argv[2:], prog_name="factcheck")
except SystemExit as stop:
    code = stop.code
else:
    code = 0
usage = {
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "exit": code,
}
with open(sys.argv[1], "w") as out:
    json.dump(usage, out)
"""

# The child that parses every claim file with ruamel.yaml and nothing else.
PARSE_CHILD = """
import json, resource, sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe", pure=False)
for path in sorted(Path(sys.argv[2]).glob("*.yaml")):
    yaml.load(path.read_bytes())
usage = {
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "exit": 0,
}
with open(sys.argv[1], "w") as out:
    json.dump(usage, out)
"""

# The child that runs another program and reports its peak memory.
COMMAND_CHILD = """
import json, resource, subprocess, sys
with open(sys.argv[2]) as listing:
    batches = json.load(listing)
codes = [subprocess.call(batch, stdout=subprocess.DEVNULL) for batch in batches]
usage = {
    "self_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "exit": max(codes),
}
with open(sys.argv[1], "w") as out:
    json.dump(usage, out)
"""


@dataclass
class Sample:
    """One timed run: wall seconds, peak memory in MB, and the exit status."""

    seconds: float
    peak_mb: float
    exit: int


@dataclass
class Row:
    """The medians for one size N, and the ratios the issue asks for."""

    disputes: int
    sources: int
    cold: Sample
    warm: Sample
    changed: Sample
    jsonschema: Sample
    parse: Sample
    batches: int
    nocache: Sample
    site: Sample
    site_changed: Sample
    ratios: dict[str, float] = field(default_factory=dict)


@dataclass
class ReportRow:
    """``factcheck report`` at one size N: each format cold and warm, and the baseline (v)."""

    disputes: int
    baseline: Sample
    cold: dict[str, Sample]
    warm: dict[str, Sample]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (and the targets' verdicts)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--sources", type=int, default=200, help="source documents (M)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--workdir", type=Path, help="where to keep the generated workspaces")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--report-only", action="store_true", help="measure only factcheck report against (v)"
    )
    args = parser.parse_args(argv)
    if not args.report_only and shutil.which("check-jsonschema") is None:
        print(
            "check-jsonschema is not installed: python3 -m pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2
    compile_package()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(machine_line(), file=sys.stderr)
    rows = []
    report_rows = []
    for size in args.sizes:
        root = prepare(workdir / f"n{size}", size, args.sources)
        if not args.report_only:
            rows.append(measure(root, size, args.sources, max(1, args.repeat)))
        report_rows.append(measure_report(root, size, max(1, args.repeat)))
        print(f"  N = {size:,}: done", file=sys.stderr)
    verdicts = []
    if rows:
        print(table(rows))
        verdicts += targets(rows)
    print(report_table(report_rows))
    verdicts += report_targets(report_rows)
    for line in verdicts:
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "rows": [asdict(row) for row in rows],
                    "report": [asdict(row) for row in report_rows],
                    "targets": verdicts,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    failed_runs = [row for row in rows if row.cold.exit not in (0, 1) or row.jsonschema.exit != 0]
    failed_runs += [
        row
        for row in report_rows
        if any(sample.exit not in (0, 1) for sample in (*row.cold.values(), *row.warm.values()))
    ]
    return 1 if failed_runs else 0


def compile_package() -> None:
    """Byte-compile factcheck as ``pip install`` does, so no run pays for compiling it.

    An editable install (or PYTHONDONTWRITEBYTECODE) would otherwise make every timed run
    compile the package's sources first, which is not what a desk's runs cost.
    """
    import factcheck

    package = Path(factcheck.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=True,
        env={key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
    )


def prepare(root: Path, disputes: int, sources: int) -> Path:
    """Generate the workspace unless an identical one is already there."""
    stamp = root / ".generated"
    recipe = f"{disputes} {sources} {digest_of(HERE / 'generate.py')}"
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == recipe):
        print(f"  generating N = {disputes:,} ...", file=sys.stderr)
        root.mkdir(parents=True, exist_ok=True)
        generate.generate(root, disputes, sources)
        stamp.write_text(recipe, encoding="utf-8")
    schema = root / "claim.schema.json"
    subprocess.run(
        [sys.executable, "-m", "factcheck", "schema", "--output", str(schema)],
        check=True,
        capture_output=True,
    )
    return root


def measure(root: Path, disputes: int, sources: int, repeat: int) -> Row:
    """Time (a)-(e) ``repeat`` times each and keep the medians."""
    claims = sorted(path.name for path in (root / "claims").iterdir())
    batches = jsonschema_batches(root, claims)
    listing = root / "jsonschema-batches.json"
    listing.write_text(json.dumps(batches), encoding="utf-8")
    samples: dict[str, list[Sample]] = {key: [] for key in "abcdefgh"}
    for attempt in range(repeat):
        factcheck(root, "cache", "clear", quiet=True)
        samples["a"].append(factcheck(root, "validate"))
        samples["b"].append(factcheck(root, "validate"))
        edited = root / "claims" / claims[(attempt * 7919) % len(claims)]
        original = edited.read_bytes()
        edited.write_bytes(original + b"# edited by the benchmark\n")
        try:
            samples["c"].append(factcheck(root, "validate"))
        finally:
            edited.write_bytes(original)
        samples["d"].append(child(COMMAND_CHILD, str(listing), cwd=root))
        samples["e"].append(child(PARSE_CHILD, str(root / "claims"), cwd=root))
        samples["f"].append(factcheck(root, "validate", "--no-cache", quiet=True))
        site = root.parent / f"{root.name}-site"
        shutil.rmtree(site, ignore_errors=True)
        samples["g"].append(
            factcheck(root, "site", "--no-cache", "--output", str(site), quiet=True)
        )
        edited.write_bytes(
            original.replace(b"rationale: >-\n    ", b"rationale: >-\n    Edited. ", 1)
        )
        try:
            samples["h"].append(
                factcheck(root, "site", "--no-cache", "--output", str(site), quiet=True)
            )
        finally:
            edited.write_bytes(original)
    median = {key: middle(values) for key, values in samples.items()}
    row = Row(
        disputes,
        sources,
        median["a"],
        median["b"],
        median["c"],
        median["d"],
        median["e"],
        len(batches),
        median["f"],
        median["g"],
        median["h"],
    )
    d, e = row.jsonschema.seconds, row.parse.seconds
    row.ratios = {
        "a/d": row.cold.seconds / d,
        "b/d": row.warm.seconds / d,
        "c/d": row.changed.seconds / d,
        "a/e": row.cold.seconds / e,
        "g/f": row.site.seconds / row.nocache.seconds,
        "h/f": row.site_changed.seconds / row.nocache.seconds,
    }
    return row


def measure_report(root: Path, disputes: int, repeat: int) -> ReportRow:
    """Time ``report`` in each format, cold and warm, beside (v) ``validate --no-cache``."""
    baseline: list[Sample] = []
    cold: dict[str, list[Sample]] = {name: [] for name in REPORT_FORMATS}
    warm: dict[str, list[Sample]] = {name: [] for name in REPORT_FORMATS}
    for _ in range(repeat):
        baseline.append(factcheck(root, "validate", "--no-cache"))
        for name in REPORT_FORMATS:
            factcheck(root, "cache", "clear", quiet=True)
            cold[name].append(factcheck(root, "report", "--format", name, quiet=True))
            warm[name].append(factcheck(root, "report", "--format", name, quiet=True))
    return ReportRow(
        disputes,
        middle(baseline),
        {name: middle(values) for name, values in cold.items()},
        {name: middle(values) for name, values in warm.items()},
    )


def report_table(rows: list[ReportRow]) -> str:
    """``report`` against (v) ``validate --no-cache``, as a Markdown table."""
    lines = [
        "| N | format | (v) validate --no-cache | cold | warm | cold/v | warm/v "
        "| peak MB cold / warm |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        v = row.baseline.seconds
        for name in REPORT_FORMATS:
            cold, warm = row.cold[name], row.warm[name]
            lines.append(
                f"| {row.disputes:,} | {name} | {v:.2f} s | {cold.seconds:.2f} s "
                f"| {warm.seconds:.2f} s | {cold.seconds / v:.2f} | {warm.seconds / v:.2f} "
                f"| {cold.peak_mb:.0f} / {warm.peak_mb:.0f} |"
            )
    return "\n".join(lines)


def report_targets(rows: list[ReportRow]) -> list[str]:
    """The report's targets: cold and warm against (v), and peak memory at N = 10,000."""
    verdicts = []
    for row in rows:
        n = f"N = {row.disputes:,}"
        v = row.baseline.seconds
        for name in REPORT_FORMATS:
            cold, warm = row.cold[name].seconds / v, row.warm[name].seconds / v
            verdicts += [
                verdict(
                    f"{n}: report --format {name} cold {cold:.2f} x validate --no-cache "
                    f"(<= {REPORT_COLD_TARGET})",
                    cold <= REPORT_COLD_TARGET,
                ),
                verdict(
                    f"{n}: report --format {name} warm {warm:.2f} x validate --no-cache "
                    f"(<= {REPORT_WARM_TARGET})",
                    warm <= REPORT_WARM_TARGET,
                ),
            ]
        if row.disputes == 10_000:
            peak = max(sample.peak_mb for sample in (*row.cold.values(), *row.warm.values()))
            verdicts.append(
                verdict(
                    f"{n}: report peak memory {peak:.0f} MB <= {TARGET_MB} MB", peak <= TARGET_MB
                )
            )
    return verdicts


def jsonschema_batches(root: Path, claims: list[str]) -> list[list[str]]:
    """check-jsonschema command lines covering every claim file (several if very many)."""
    head = ["check-jsonschema", "--schemafile", str(root / "claim.schema.json")]
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for name in claims:
        relative = f"claims/{name}"
        if current and size + len(relative) + 1 > ARG_BYTES:
            batches.append(head + current)
            current, size = [], 0
        current.append(relative)
        size += len(relative) + 1
    if current:
        batches.append(head + current)
    return batches


def factcheck(root: Path, *args: str, quiet: bool = False) -> Sample:
    """Run the factcheck command line in a child, as a user would."""
    arguments = ("--root", str(root), "--color", "never", *args)
    return child(FACTCHECK_CHILD, *arguments, cwd=root, quiet=quiet)


def child(code: str, *args: str, cwd: Path, quiet: bool = False) -> Sample:
    """Run ``code`` in a fresh interpreter; its wall time and the peak memory of its
    processes together (see the module's docstring)."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code, report.name, *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if quiet else None,
        )
        sampler = TreeMemory(process.pid)
        sampler.start()
        status = process.wait()
        seconds = time.perf_counter() - start
        sampler.stop()
        if status != 0:
            raise subprocess.CalledProcessError(status, process.args)
        usage = json.load(report)
    peak_kb = max(usage["self_kb"], sampler.peak_kb)
    return Sample(seconds, peak_kb / 1024, int(usage["exit"] or 0))


SAMPLE_SECONDS = 0.1
"""How often the memory of a measured command's processes is sampled: reading a process's
PSS costs the kernel about half a millisecond per 100 MB, so this costs the measured run
1 to 3 % of one core; a peak of a run of a few seconds lasts far longer than this."""


class TreeMemory(threading.Thread):
    """The largest sum, over time, of the PSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(map(pss_kb, descendants(self.pid))))

    def stop(self) -> None:
        self._done.set()
        self.join()


def descendants(pid: int) -> list[int]:
    """A process and every process below it (Linux's /proc; empty once it has ended)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue.extend(int(child) for child in children.read().split())
            except OSError:
                continue
    return found


def pss_kb(pid: int) -> int:
    """A process's proportional set size in kB (0 when it has ended or cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def middle(samples: list[Sample]) -> Sample:
    """The sample with the median time (memory and exit status from the same run)."""
    ordered = sorted(samples, key=lambda sample: sample.seconds)
    chosen = ordered[(len(ordered) - 1) // 2]
    return Sample(statistics.median(s.seconds for s in samples), chosen.peak_mb, chosen.exit)


def table(rows: list[Row]) -> str:
    """The results as a GitHub-flavoured Markdown table."""
    lines = [
        "| N | (a) cold | (b) warm | (c) one changed | (d) check-jsonschema | (e) bare parse "
        "| a/d | b/d | c/d | a/e | peak MB a / b / c | peak MB d |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.disputes:,} | {row.cold.seconds:.2f} s | {row.warm.seconds:.2f} s "
            f"| {row.changed.seconds:.2f} s | {row.jsonschema.seconds:.2f} s "
            f"| {row.parse.seconds:.2f} s | {row.ratios['a/d']:.3f} | {row.ratios['b/d']:.3f} "
            f"| {row.ratios['c/d']:.3f} | {row.ratios['a/e']:.3f} "
            f"| {row.cold.peak_mb:.0f} / {row.warm.peak_mb:.0f} / {row.changed.peak_mb:.0f} "
            f"| {row.jsonschema.peak_mb:.0f} |"
        )
    lines += [
        "",
        "| N | (f) validate --no-cache | (g) site, every page | (h) site, one claim changed "
        "| g/f | h/f | peak MB g |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.disputes:,} | {row.nocache.seconds:.2f} s | {row.site.seconds:.2f} s "
            f"| {row.site_changed.seconds:.2f} s | {row.ratios['g/f']:.2f} "
            f"| {row.ratios['h/f']:.2f} | {row.site.peak_mb:.0f} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    """The issue's targets, each marked met or missed, for the sizes measured."""
    verdicts = []
    for row in rows:
        n = f"N = {row.disputes:,}"
        verdicts += [
            verdict(f"{n}: cold <= 0.2 x check-jsonschema", row.ratios["a/d"] <= 0.2),
            verdict(f"{n}: warm <= 0.05 x check-jsonschema", row.ratios["b/d"] <= 0.05),
            verdict(
                f"{n}: one file changed <= warm + 0.1 s",
                row.changed.seconds <= row.warm.seconds + 0.1,
            ),
        ]
        verdicts.append(verdict(f"{n}: site <= 3 x validate --no-cache", row.ratios["g/f"] <= 3))
        if row.disputes == 10_000:
            peak = max(row.cold.peak_mb, row.warm.peak_mb, row.changed.peak_mb)
            within = peak <= TARGET_MB
            verdicts.append(verdict(f"{n}: peak memory {peak:.0f} MB <= {TARGET_MB} MB", within))
    by_size = {row.disputes: row for row in rows}
    sizes = sorted(by_size)
    for small, large in itertools.pairwise(sizes):
        if small < 1_000:
            continue
        per_small = by_size[small].cold.seconds / small
        per_large = by_size[large].cold.seconds / large
        verdicts.append(
            verdict(
                f"linear: cold time per file at N = {large:,} is {per_large / per_small:.2f} x "
                f"that at N = {small:,} (<= 1.25)",
                per_large <= 1.25 * per_small,
            )
        )
    return verdicts


def verdict(text: str, met: bool) -> str:
    return f"- [{'x' if met else ' '}] {text}{'' if met else '  (MISSED)'}"


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    return {
        "cores": cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "ruamel.yaml": package_version("ruamel.yaml"),
        "yaml parser": parser_kind(),
        "check-jsonschema": package_version("check-jsonschema"),
    }


def machine_line() -> str:
    return ", ".join(f"{key}: {value}" for key, value in machine().items())


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def parser_kind() -> str:
    try:
        import ruamel.yaml.cyaml as cyaml
    except ImportError:
        return "pure Python"
    return f"libyaml ({getattr(cyaml, '__yaml_lib', None) or 'clib'})"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


if __name__ == "__main__":
    sys.exit(main())
