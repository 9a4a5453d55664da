"""The book's standard figures: image grids, histograms and adjacent-pixel scatter plots."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from . import families
from .metrics import adjacent_pairs, histograms


def _show(ax, image: np.ndarray) -> None:
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    ax.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=255, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def image_grid(rows: dict[str, np.ndarray], n: int = 6, title: str | None = None):
    """One row of ``n`` images per entry of ``rows`` (for example plain / cipher / decrypted)."""
    fig, axes = plt.subplots(len(rows), n, figsize=(1.4 * n, 1.5 * len(rows)), squeeze=False)
    for r, (label, images) in enumerate(rows.items()):
        images = np.asarray(images)
        for c in range(n):
            _show(axes[r, c], images[c])
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def histogram_panel(batches: dict[str, np.ndarray], pooled: bool = True):
    """Grey-level histograms side by side; ``pooled`` sums the counts over the batch."""
    fig, axes = plt.subplots(1, len(batches), figsize=(3.6 * len(batches), 2.8), squeeze=False)
    for ax, (label, images) in zip(axes[0], batches.items()):
        counts = histograms(images)
        counts = counts.sum(axis=0) if pooled else counts[0]
        ax.bar(np.arange(256), counts, width=1.0, color="0.3")
        ax.axhline(counts.sum() / 256, color="tab:red", lw=1, label="uniform")
        ax.set_title(label)
        ax.set_xlabel("grey level")
        ax.set_xlim(-1, 256)
    axes[0, 0].set_ylabel("pixels" + (" (pooled)" if pooled else ""))
    axes[0, 0].legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    return fig


def adjacent_scatter(batches: dict[str, np.ndarray], directions: Sequence[str] = ("horizontal", "vertical", "diagonal"),
                     max_points: int = 3000, seed: int = 0):
    """Scatter of each pixel against its neighbour, one row per batch and one column per direction."""
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(len(batches), len(directions), figsize=(2.6 * len(directions), 2.6 * len(batches)),
                             squeeze=False)
    for r, (label, images) in enumerate(batches.items()):
        for c, direction in enumerate(directions):
            a, b = adjacent_pairs(images, direction)
            a, b = a.ravel(), b.ravel()
            pick = rng.choice(a.size, size=min(max_points, a.size), replace=False)
            ax = axes[r, c]
            ax.scatter(a[pick], b[pick], s=1, alpha=0.4, color="0.2")
            ax.set_xlim(0, 255)
            ax.set_ylim(0, 255)
            ax.set_aspect("equal")
            if r == 0:
                ax.set_title(direction)
            if c == 0:
                ax.set_ylabel(f"{label}\nneighbour")
            if r == len(batches) - 1:
                ax.set_xlabel("pixel")
    fig.tight_layout()
    return fig


def pipeline_diagram(pipelines: dict[str, list[str]], title: str | None = None):
    """Block diagrams: one row of boxes joined by arrows per entry, such as a cipher's data flow."""
    width = max(len(steps) for steps in pipelines.values())
    step = 1.9
    fig, ax = plt.subplots(figsize=(1.45 * width + 1.3, 0.75 * len(pipelines) + 0.3))
    ax.set_xlim(-1.7, step * (width - 1) + 1.0)
    ax.set_ylim(-len(pipelines) + 0.5, 0.5)
    ax.axis("off")
    for row, (label, steps) in enumerate(pipelines.items()):
        y = -row
        ax.text(-1.65, y, label, ha="left", va="center", fontsize=10, fontweight="bold")
        for i, text in enumerate(steps):
            x = step * i
            ax.text(x, y, text.replace(" ", "\n", 1) if len(text) > 14 else text, ha="center", va="center",
                    fontsize=9, bbox={"boxstyle": "round,pad=0.35", "facecolor": "#eef3fb", "edgecolor": "#35619e"})
            if i:
                ax.annotate("", xy=(x - 0.78, y), xytext=(x - step + 0.78, y),
                            arrowprops={"arrowstyle": "->", "color": "#35619e"})
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def throughput_bars(rates: dict[str, dict[str, float]], title: str | None = None, ceiling: float | None = None):
    """Encrypt and decrypt MB/s per cipher as grouped horizontal bars on a log scale, with the ceiling
    (:func:`medcrypt.bench.ceiling_mb_per_s`, the library's AES-CTR over one buffer) as a dashed line."""
    names = list(rates)
    y = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(names) + 1.2))
    ax.barh(y - 0.2, [rates[n]["encrypt_mb_per_s"] for n in names], height=0.4, label="encrypt", color="#35619e")
    ax.barh(y + 0.2, [rates[n]["decrypt_mb_per_s"] for n in names], height=0.4, label="decrypt", color="#9bb8e0")
    if ceiling:
        ax.axvline(ceiling, color="#a50f15", ls="--", lw=1.2, label="ceiling: AES-256-CTR, one buffer")
    ax.set_yticks(y, names)
    ax.set_xscale("log")
    ax.set_xlabel("MB/s (log scale)")
    ax.invert_yaxis()
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def advantage_bars(cpa, title: str = "IND-CPA advantage with 95 % intervals (chapter 8)"):
    """Per cipher and adversary, the IND-CPA advantage with its interval, red where it is significant.

    ``cpa`` is :func:`medcrypt.attacks.suite.ind_cpa_table`'s frame (index: cipher, adversary).
    """
    names = sorted(cpa.index.get_level_values(0).unique(), key=lambda n: cpa.loc[n]["advantage"].max())
    adversaries = list(cpa.index.get_level_values(1).unique())
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(names) + 1.4))
    height = 0.8 / len(adversaries)
    colours = ("#35619e", "#d08c2c", "#5c9e5b", "#8e5ea2", "#b84a4a", "#6b6b6b")  # one per adversary of the battery
    for k, adversary in enumerate(adversaries):
        part = cpa.xs(adversary, level=1).loc[names]
        y = np.arange(len(names)) + (k - (len(adversaries) - 1) / 2) * height
        ax.barh(y, part["advantage"], height=height, color=colours[k % len(colours)], label=adversary)
        ax.errorbar(part["advantage"], y, xerr=[part["advantage"] - part["low"], part["high"] - part["advantage"]],
                    fmt="none", ecolor="k", lw=0.8, capsize=2)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(np.arange(len(names)), names)
    ax.set(xlim=(-0.2, 1.05), xlabel="estimate 2·Pr[guess right] − 1; its size is the advantage (0: blind guessing, 1: always right)",
           title=title)
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


def gain_curves(kpa, threshold: float, top: float = 15.0, columns: int = 5,
                title: str = "Learned known-plaintext attack, one panel per cipher"):
    """PSNR gain over the no-ciphertext guess against the number of known pairs, one small panel per cipher.

    Panels share their axes, so curves compare at a glance without a legend of colours.
    The y axis stops at ``top`` dB, so the region around ``threshold`` (dashed) is
    readable; a gain above it, exact recovery included, is drawn as a red triangle on
    the top edge.
    """
    names = sorted(kpa["cipher"].unique())
    rows = max(1, -(-len(names) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.55 * columns + 0.8, 1.3 * rows + 0.9), sharex=True,
                             sharey=True, squeeze=False)
    gains = kpa["gain (dB)"].to_numpy(dtype=float)
    bottom = min(-2.0, float(np.nanmin(np.where(np.isfinite(gains), gains, 0))) - 1)
    for ax, name in zip(axes.flat, names):
        group = kpa[kpa["cipher"] == name].sort_values("pairs")
        pairs, gain = group["pairs"].to_numpy(), group["gain (dB)"].to_numpy(dtype=float)
        ax.plot(pairs, np.minimum(gain, top), color="#35619e", marker="o", ms=3, lw=1.2)
        ax.plot(pairs[gain > top], np.full(int(np.sum(gain > top)), top), "^", color="tab:red", ms=6, clip_on=False)
        ax.axhline(threshold, color="grey", ls="--", lw=1)
        ax.set_title(name, fontsize="small")
        ax.set(xscale="log", ylim=(bottom, top))
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    fig.supxlabel("known plaintext–cipher pairs", fontsize="small")
    fig.supylabel(f"PSNR gain over the no-ciphertext guess (dB; ▲ above {top:g})", fontsize="small")
    fig.suptitle(title, fontsize="medium")
    fig.tight_layout()
    return fig


def leakage_bars(leakage, level: float,
                 title: str = "Ciphertext-only leakage (red: AUC significantly above 0.5 at the table's level)"):
    """Largest test AUC over the seeds per cipher, red where some seed's p-value is below ``level``."""
    worst = leakage.groupby("cipher").agg(auc=("auc", "max"), p=("auc_p_value", "min")).sort_values("auc")
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(worst) + 1.4))
    # Grey, not green, where no leak is found: the bar says nothing about the cipher's other attacks.
    ax.barh(worst.index, worst["auc"], color=["tab:red" if p < level else "#9a9a9a" for p in worst["p"]])
    ax.axvline(0.5, color="k", ls="--", lw=1)
    ax.set(xlabel="test AUC of a diagnosis classifier trained on cipher images", xlim=(0.0, 1.0), title=title)
    fig.tight_layout()
    return fig


def security_scatter(points, family_colours: dict[str, str] | None = None, *, n_attacks: int,
                     title: str = "security (chapter 8's verdict) against fidelity and speed"):
    """Attacks survived against decryption PSNR (left) and encryption MB/s (right), survivors of all ringed.

    Points take their family's colour from :func:`medcrypt.families.colours` unless
    ``family_colours`` says otherwise.

    Ciphers that share a score and a similar fidelity (the lossless ones, and lossy ones within
    a few dB) are spread a little apart and their labels stacked, so that every name stays
    readable; the legend sits below the panels.
    """
    family_colours = families.colours() if family_colours is None else family_colours
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), sharey=True)
    for ax, column, log in ((axes[0], "psnr_capped", False), (axes[1], "mb_s", True)):
        # Speeds spread over decades, so on the right every cipher with one score shares a stack.
        # On the left, labels of ciphers within a few dB of each other would overlap: they share a stack too.
        key = np.zeros(len(points)) if log else (points[column].astype(float) / 4).round(0)
        stacked = points.assign(_key=np.asarray(key)).groupby(["_key", "attacks_passed"], sort=False)
        for _, group in stacked:
            for k, (_, p) in enumerate(group.iterrows()):
                colour = family_colours.get(p["family"], "k")
                y = p["attacks_passed"] + 0.16 * (k - (len(group) - 1) / 2)
                ax.scatter(p[column], y, color=colour, marker="o" if p["lossless"] else "s",
                           edgecolors="k" if p["passed_all"] else "none", linewidths=1.5,
                           s=50 if p["passed_all"] else 30, zorder=3)
                at_right_edge = column == "psnr_capped" and p[column] >= 55
                ax.annotate(p["cipher"], (p[column], y), fontsize=6, xytext=(-6, -2) if at_right_edge else (5, -2),
                            textcoords="offset points", ha="right" if at_right_edge else "left")
    axes[0].axvline(60, color="k", lw=0.5, ls=":")
    axes[0].set(xlabel="decryption PSNR (dB); lossless at 60 = ∞", ylabel=f"attacks survived (of {n_attacks})",
                ylim=(-0.7, n_attacks + 0.7))
    axes[1].set(xscale="log", xlabel="encryption MB/s (log)")
    fig.legend(handles=[plt.matplotlib.lines.Line2D([], [], color=c, marker="o", ls="", label=f)
                        for f, c in family_colours.items()], fontsize="small", loc="lower center",
               ncol=len(family_colours), frameon=False)  # below the panels, where it covers no point
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def coverage_grid(grid, title: str = "Standard metrics reported by each paper"):
    """Paper × standard metric, coloured by what we could see (:func:`medcrypt.book.literature.coverage`: 0, 1, 2)."""
    rows = len(grid)
    fig, ax = plt.subplots(figsize=(9, (0.3 if rows <= 40 else 0.17) * rows + 2))
    colours = plt.matplotlib.colors.ListedColormap(["#f0f0f0", "#9ecae1", "#08519c"])
    ax.imshow(np.asarray(grid, dtype=float), cmap=colours, vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=30, ha="right")
    ax.set_yticks(range(rows), [name if len(name) <= 45 else name[:44] + "…" for name in grid.index],
                  fontsize=7 if rows <= 40 else 6)
    handles = [plt.matplotlib.patches.Patch(color=c, label=t) for c, t in
               zip(colours.colors, ["not seen reported", "reported, value not seen", "value seen"])]
    ax.legend(handles=handles, bbox_to_anchor=(0.5, -1.2 / fig.get_figheight()), loc="upper center", ncol=3,
              fontsize="small")
    ax.set_title(title)
    fig.subplots_adjust(left=0.42, right=0.98, bottom=1.6 / fig.get_figheight(), top=1 - 0.5 / fig.get_figheight())
    return fig


def survey_flow(counts: dict, topic_titles: dict[str, str], reason_titles: dict[str, str]):
    """The survey's flow diagram (:func:`medcrypt.book.literature.flow_counts`): results returned → results removed
    before screening → distinct records screened → included, by topic, with the excluded records by reason beside.
    Every arrow runs from the edge of one box to the edge of the next (anchored on the boxes, not on coordinates)."""
    fig, ax = plt.subplots(figsize=(10.5, 7.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")

    def box(x, y, text, colour="#deebf7", edge="#3182bd", ha="center"):
        return ax.text(x, y, text, ha=ha, va="center", fontsize=9,
                       bbox={"boxstyle": "round,pad=0.5", "facecolor": colour, "edgecolor": edge})

    def arrow(start, end, start_at=(0.5, 0), end_at=(0.5, 1), colour="#3182bd"):
        # shrink by the box's padding (half the font size) so that the arrow touches the drawn outline
        ax.annotate("", xy=end_at, xycoords=end, xytext=start_at, textcoords=start,
                    arrowprops={"arrowstyle": "->", "color": colour, "shrinkA": 5, "shrinkB": 5})

    import textwrap

    def wrap(line: str, width: int = 56) -> str:
        return textwrap.fill(line, width, subsequent_indent="    ")

    found = f"{counts['results']} results returned by {counts['queries']} queries"
    if counts["earlier_records"]:
        found += f"\n+ {counts['earlier_records']} records of the earlier evidence base"
    identified = box(2.4, 9.2, f"Identified\n{found}")
    removed = box(5.3, 9.2, f"Removed before screening: {counts['removed_before_screening']} results\n"
                            + wrap("repeats of a record that an earlier query returned, and results set aside at "
                                   "first sight (the log does not tell the two apart)"),
                  colour="#f0f0f0", edge="#737373", ha="left")
    screened = box(2.4, 6.0, f"Screened\n{counts['screened']} distinct records\n(title, abstract, record)")
    lines = [wrap(f"{topic_titles.get(t, t)}: {n}", 48) for t, n in counts["included_by_topic"].items()]
    included = box(2.4, 1.9, f"Included: {counts['included']} papers\n" + "\n".join(lines), colour="#c7e9c0")
    reasons = [wrap(f"{reason_titles.get(r, r)}: {n}") for r, n in counts["excluded_by_reason"].items()]
    excluded = box(5.3, 6.0, f"Excluded: {counts['excluded']} records\n" + "\n".join(reasons),
                   colour="#fee0d2", edge="#a50f15", ha="left")
    arrow(identified, screened)
    arrow(identified, removed, start_at=(1, 0.5), end_at=(0, 0.5), colour="#737373")
    arrow(screened, included)
    arrow(screened, excluded, start_at=(1, 0.5), end_at=(0, 0.5), colour="#a50f15")
    fig.tight_layout()
    return fig


def evaluation_heatmap(evaluated, topic_titles: dict[str, str], evaluated_titles: dict[str, str]):
    """Method topic × property: the share of the topic's papers that evaluate it (count in each cell).

    ``evaluated`` is :func:`medcrypt.book.literature.evaluation_grid` (a "papers" column, then one per property).
    """
    import textwrap

    counts = evaluated.drop(columns="papers")
    share = counts.div(evaluated["papers"], axis=0).to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(counts) + 2.2))
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, j), n in np.ndenumerate(counts.to_numpy()):
        ax.text(j, i, str(n), ha="center", va="center", fontsize=8, color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(counts.shape[1]), [evaluated_titles.get(c, c) for c in counts.columns], fontsize=8,
                  rotation=35, ha="right")
    ax.set_yticks(range(len(counts)), [f"{textwrap.shorten(topic_titles.get(t, t), 34, placeholder='…')} ({n})"
                                       for t, n in evaluated["papers"].items()], fontsize=8)
    fig.colorbar(image, ax=ax, label="share of the topic's papers", fraction=0.03)
    ax.set_title("What the papers that propose a cipher evaluate (number of papers in each cell)", fontsize=10)
    fig.tight_layout()
    return fig


def word_grid(rows: dict[str, dict[str, np.ndarray]], title: str | None = None):
    """Images of different sizes and bit depths in a grid: one row per version (plain, each cipher), one column per image.

    ``rows`` maps a row label to {column title: 2-D image}. Each panel is scaled from its own
    minimum to maximum (a 16-bit CT would be black at the full 0–65,535 scale); axes are off.
    """
    columns = list(next(iter(rows.values())))
    fig, axes = plt.subplots(len(rows), len(columns), figsize=(2.2 * len(columns), 2.2 * len(rows)), squeeze=False)
    for r, (label, images) in enumerate(rows.items()):
        for c, column in enumerate(columns):
            ax, image = axes[r, c], np.asarray(images[column], dtype=np.float64)
            ax.imshow(image, cmap="gray", vmin=image.min(), vmax=max(image.max(), image.min() + 1),
                      interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(column, fontsize="small")
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def word_histograms(batches: dict[str, np.ndarray], levels: int = 65_536, bins: int = 256):
    """Histograms of 16-bit words in ``bins`` equal-width bins (the χ² test's bins), one panel per batch."""
    fig, axes = plt.subplots(1, len(batches), figsize=(3.6 * len(batches), 2.8), squeeze=False)
    for ax, (label, images) in zip(axes[0], batches.items()):
        values = np.asarray(images).ravel().astype(np.int64)
        counts = np.bincount(values * bins // levels, minlength=bins)
        ax.bar(np.arange(bins) * (levels // bins), counts, width=levels // bins, color="0.3", align="edge")
        ax.axhline(values.size / bins, color="tab:red", lw=1, label="uniform")
        ax.set_title(label, fontsize="small")
        ax.set_xlabel("16-bit word")
        ax.set_xlim(0, levels)
        ax.set_xticks([0, levels // 2, levels], ["0", f"{levels // 2:,}", f"{levels:,}"])
    axes[0, 0].set_ylabel("pixels")
    axes[0, 0].legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    return fig


def auc_bars(table):
    """ROC AUC per (classifier, trained on → tested on) row of :func:`medcrypt.learnable.utility_table`, with two
    bootstrap standard errors and chance (0.5) dashed."""
    labels = [f"{r['classifier']}: {r['trained on']} → {r['tested on']}" for _, r in table.iterrows()]
    colours = ["tab:blue" if r["classifier"] == "block-wise" else "tab:grey" for _, r in table.iterrows()]
    fig, ax = plt.subplots(figsize=(6.4, 0.32 * len(table) + 1.0))
    y = np.arange(len(table))[::-1]
    ax.barh(y, table["auc"], xerr=2 * table["auc_se"], color=colours, capsize=3)
    ax.axvline(0.5, color="black", ls="--", lw=1)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("ROC AUC (test images)")
    fig.tight_layout()
    return fig


def attempt_curves(histories: dict[str, dict[str, list[float]]], losses: Sequence[str], title: str | None = None):
    """One panel per loss name, one line per training attempt (label -> that attempt's losses per epoch).

    An attempt without a loss (a term it did not train with) has no line in that panel.
    """
    if not histories or not losses:
        raise ValueError("attempt_curves needs at least one attempt and one loss name")
    from .train import loss_panels  # torch comes with it: only the chapters that trained draw this

    return loss_panels({loss: {label: curves[loss] for label, curves in histories.items() if loss in curves}
                        for loss in losses}, title)


#: The leaderboard's verdict states, their colours and legend labels, in the order of :func:`verdict_code`.
VERDICT_STATES = (("pass", "#9ecae1", "pass, every seed"),
                  ("n/a", "#d9d9d9", "n/a or did not run in some seed (not a pass)"),
                  ("some", "#fdae6b", "FAIL in some seeds"), ("FAIL", "#cb181d", "FAIL, every seed"),
                  ("none", "#ffffff", "did not run on any seed"))


def verdict_code(state: str) -> int:
    """A leaderboard cell (:func:`medcrypt.leaderboard.combine`) as the index of its state in :data:`VERDICT_STATES`."""
    state = str(state)
    if state == "FAIL":
        return 3
    if state.startswith("FAIL in"):
        return 2
    if state == "pass":
        return 0
    if state == "did not run":
        return 4
    return 1  # n/a, or pass mixed with n/a or with cells that did not run: not a pass


def verdict_grid(table, columns: Sequence[str], title: str = "Verdicts over seeds, per dataset"):
    """One panel per dataset: cipher × verdict column of the leaderboard (:func:`medcrypt.leaderboard.table`),
    coloured by :data:`VERDICT_STATES`, ciphers in the table's order."""
    if table.empty:
        raise ValueError("the leaderboard has no rows to draw; sweep some cells into the store first")
    datasets = list(dict.fromkeys(table["dataset"]))
    rows = max(len(table[table["dataset"] == d]) for d in datasets)
    fig, axes = plt.subplots(1, len(datasets), figsize=(4.2 * len(datasets) + 2.5, 0.28 * rows + 3.2), squeeze=False)
    colours = plt.matplotlib.colors.ListedColormap([c for _, c, _ in VERDICT_STATES])
    for ax, dataset in zip(axes[0], datasets):
        part = table[table["dataset"] == dataset]
        codes = np.array([[verdict_code(v) for v in part[c]] for c in columns], dtype=float).T
        ax.imshow(codes, cmap=colours, vmin=0, vmax=len(VERDICT_STATES) - 1, aspect="auto")
        ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right", fontsize=7)
        ax.set_yticks(range(len(part)), [f"{c} ({s}×{s})" for c, s in zip(part["cipher"], part["size"])], fontsize=7)
        ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(part)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        ax.set_title(dataset, fontsize=9)
    handles = [plt.matplotlib.patches.Patch(facecolor=c, edgecolor="#999999", label=t) for _, c, t in VERDICT_STATES]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize="small")
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    return fig
