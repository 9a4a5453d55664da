"""Chapter 0's checked exercise and flow diagram: the reference follows the survey data, slips get their hints."""

import matplotlib
import pytest

from medcrypt import exercises, plots
from medcrypt.book import literature
from medcrypt.exercises import ch00

matplotlib.use("Agg")


def test_the_reference_is_the_chapters_own_count():
    grid = literature.evaluation_grid()  # the heat map of the chapter, computed by the book's library
    assert ch00.differential_share() == pytest.approx(100 * grid["differential"].sum() / grid["papers"].sum())
    assert exercises.check("00_survey", 2, ch00.differential_share())


@pytest.mark.parametrize("slip, hint", [
    (lambda: ch00.differential_share() / 100, "in percent"),
    (lambda: ch00._count(), "how many papers"),
    (lambda: ch00._share_of_all(), "the denominator"),
])
def test_a_common_slip_gets_its_hint(slip, hint):
    result = exercises.check("00_survey", 2, slip())
    assert not result and hint in result.message


def test_the_reference_follows_a_reclassification(tmp_path, monkeypatch):
    papers = ch00._papers()
    first = papers.index[(papers["kind"] == "cipher") & papers["evaluates"].str.contains("differential")][0]
    papers.loc[first, ["kind", "secret", "lossless"]] = ["steganography", "n/a", "n/a"]
    path = tmp_path / "papers.csv"
    papers.to_csv(path, index=False)
    before = ch00.differential_share()
    monkeypatch.setattr(ch00, "PAPERS", path)
    assert ch00.differential_share() < before


def _edges(fig, text):
    """The display box of a text's drawn outline (its bbox patch)."""
    renderer = fig.canvas.get_renderer()
    return text.get_bbox_patch().get_window_extent(renderer)


def test_every_arrow_of_the_flow_diagram_starts_and_ends_at_a_box():
    counts = literature.flow_counts()
    assert counts["removed_before_screening"] == counts["results"] + counts["earlier_records"] - counts["screened"]
    fig = plots.survey_flow(counts, {t: literature.topic_title(t) for t in literature.TOPICS},
                            literature.EXCLUSION_REASONS)
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [_edges(fig, t) for t in ax.texts if t.get_bbox_patch() is not None and t.get_text()]
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 4 and len(boxes) == 5  # identified, removed, screened, excluded, included
    for arrow in arrows:
        path = arrow.arrow_patch.get_path()
        ends = arrow.arrow_patch.get_transform().transform(path.vertices)[[0, -1]]
        for x, y in ends:  # each end within a few pixels of some box's outline
            gap = min(max(b.x0 - x, x - b.x1, b.y0 - y, y - b.y1, 0) for b in boxes)
            assert gap <= 8, f"an arrow end at ({x:.0f}, {y:.0f}) touches no box"
