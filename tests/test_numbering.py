"""Exercises are numbered within their chapter, as the notebooks' exercises.check calls count them."""

from medcrypt.book.numbering import chapter_numbers


def test_each_chapter_numbers_its_own_exercises_from_one():
    sphinx = {"notebooks/01_metrics": {"exercise": {"a": (2,), "b": (1,)}, "figure": {"f": (7,)}},
              "notebooks/02_baselines": {"exercise": {"c": (3,), "d": (4,), "e": (5,)}},
              "book/course": {"exercise": {"x": (6,)}}}
    got = chapter_numbers(sphinx)
    assert got["notebooks/01_metrics"]["exercise"] == {"b": (1, 1), "a": (1, 2)}  # in page order
    assert got["notebooks/02_baselines"]["exercise"] == {"c": (2, 1), "d": (2, 2), "e": (2, 3)}
    assert got["notebooks/01_metrics"]["figure"] == {"f": (7,)}  # figures keep the book's sequence
    assert got["book/course"] == sphinx["book/course"]  # a page that is not a chapter is left alone
