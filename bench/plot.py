"""The report's figure: server latency of task.get and task.getList against the number of tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.scenarios import SIZE_OPERATIONS

BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def latency_plot(sizes: list[dict[str, Any]], path: Path) -> None:
    """One panel per backend: p50 (solid) and p99 (dashed) server time per operation, log-log."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    backends = [name for name in BACKENDS if any(one["backend"] == name for one in sizes)]
    figure, axes = plt.subplots(
        1, max(1, len(backends)), figsize=(6 * max(1, len(backends)), 4.5), squeeze=False
    )
    for axis, backend in zip(axes[0], backends, strict=False):
        runs = sorted((one for one in sizes if one["backend"] == backend), key=lambda one: one["tasks"])
        counts = [one["tasks"] for one in runs]
        for index, operation in enumerate(SIZE_OPERATIONS):
            colour = f"C{index}"
            for key, style in (("p50_ms", "-"), ("p99_ms", "--")):
                values = [one["server"][operation][key] for one in runs]
                label = f"{operation} {key.removesuffix('_ms')}"
                axis.plot(counts, values, style, marker="o", color=colour, label=label)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(counts, [f"{count:,}" for count in counts])
        axis.xaxis.set_minor_formatter(ticker.NullFormatter())
        axis.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _pos: f"{value:g}"))
        axis.yaxis.set_minor_formatter(ticker.NullFormatter())
        axis.set_xlabel("tasks in the account")
        axis.set_ylabel("server time, ms (in process)")
        axis.set_title(BACKENDS[backend])
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
