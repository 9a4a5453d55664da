"""The zoo: chapter 8 attacks exactly the learned ciphers that chapters of the same run recorded."""

import os

import numpy as np
import pytest

from medcrypt.ciphers.base import trains
from medcrypt import results, zoo
from medcrypt.ciphers import IntegerCouplingCipher
from medcrypt.ciphers.neural import load_or_train

from conftest import smooth_phantoms


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def saved_untrained(weights_dir, seed, image_shape=(28, 28), **training):
    """A tiny inn-coupling checkpoint at its random initialisation (distinct per seed), saved like a chapter does."""
    cipher, path, _ = load_or_train(IntegerCouplingCipher(image_shape=image_shape, layers=2, width=4, seed=seed),
                                    weights_dir, {"seed": seed, **training}, lambda c: None)
    return cipher, path


def record(results_dir, chapter, checkpoints):
    """What a chapter's bookkeeping cell writes: its metadata, with the checkpoints it evaluated."""
    metadata = results.run_metadata(chapter=chapter, profile="ci", seed=0, wall_time_s=0.0, checkpoints=checkpoints)
    results.write_results(results_dir, chapter, [{"cipher": "x"}], metadata)


def same_weights(a, b):
    return all(np.array_equal(x.detach().cpu().numpy(), y.detach().cpu().numpy())
               for name in a.modules for x, y in zip(a.modules[name].state_dict().values(),
                                                    b.modules[name].state_dict().values()))


def test_zoo_covers_the_registry_and_builds_fixed_ciphers(tmp_path):
    assert trains("anc-alice-bob") and not trains("aes-ctr")
    cipher, source = zoo.ready("chaos-hopfield", weights_dir="/nonexistent", results_dir=tmp_path,
                               train_images=random_images((4, 28, 28)))
    assert source == "no training" and cipher.name == "chaos-hopfield"


def test_recorded_checkpoints_are_read_from_every_chapter_in_chapter_order(tmp_path):
    assert results.recorded_checkpoints(tmp_path / "none") == {}
    record(tmp_path, "04_autoencoder", {"ae-keyed": "ae-keyed-1.pt"})
    record(tmp_path, "03_gan", {"gan-keygen": "gan-keygen-2.pt", "ae-keyed": "ae-keyed-3.pt"})
    record(tmp_path, "01_metrics", {})
    assert results.recorded_checkpoints(tmp_path) == {
        "gan-keygen": [("03_gan", "gan-keygen-2.pt")],
        "ae-keyed": [("03_gan", "ae-keyed-3.pt"), ("04_autoencoder", "ae-keyed-1.pt")]}


def test_the_recorded_checkpoint_wins_over_a_newer_one_of_another_profile(tmp_path):
    weights, results_dir = tmp_path / "weights", tmp_path / "results"
    recorded, recorded_path = saved_untrained(weights, seed=1, profile="ci")
    other, other_path = saved_untrained(weights, seed=2, profile="full")
    os.utime(recorded_path, (1_000_000, 1_000_000))  # the other profile's file is far newer
    record(results_dir, "05_invertible", {"inn-coupling": recorded_path.name})
    images = random_images((4, 28, 28))
    ready = zoo.ready_all(weights_dir=weights, results_dir=results_dir, train_images=images, names=["inn-coupling"])
    cipher, source = ready["inn-coupling"]
    assert source == f"chapter 05_invertible's checkpoint {recorded_path.name}"
    assert same_weights(cipher, recorded) and not same_weights(cipher, other)
    assert len(list(weights.glob("*.pt"))) == 2  # nothing was trained


def test_without_records_it_trains_saves_and_then_reuses(tmp_path):
    images = smooth_phantoms(16)
    first, source = zoo.ready("inn-coupling", weights_dir=tmp_path, results_dir=tmp_path / "results",
                              train_images=images, epochs=1)
    saved = list(tmp_path.glob("inn-coupling-*.pt"))
    assert source.startswith("trained now") and len(saved) == 1 and saved[0].name in source
    assert "no chapter recorded a 28×28 checkpoint" in source
    again, source = zoo.ready("inn-coupling", weights_dir=tmp_path, results_dir=tmp_path / "results",
                              train_images=images, epochs=1)
    assert source.startswith("trained earlier") and saved[0].name in source
    key = first.keygen(seed=0)
    assert np.array_equal(first.encrypt(images, key), again.encrypt(images, key))


def test_a_checkpoint_recorded_for_another_shape_is_not_used(tmp_path):
    _, path = saved_untrained(tmp_path, seed=1, image_shape=(32, 32))
    record(tmp_path / "results", "05_invertible", {"inn-coupling": path.name})
    cipher, source = zoo.ready("inn-coupling", weights_dir=tmp_path, results_dir=tmp_path / "results",
                               train_images=smooth_phantoms(8), epochs=1)
    assert source.startswith("trained now") and path.name not in source
    assert cipher.image_shape == (28, 28)


def test_a_recorded_file_that_is_gone_names_the_chapter_to_rerun(tmp_path):
    record(tmp_path / "results", "06_feedforward", {"anc-alice-bob": "anc-alice-bob-0123456789.pt"})
    with pytest.raises(FileNotFoundError, match=r"chapter 06_feedforward recorded .*anc-alice-bob-0123456789\.pt"
                                                r".*re-run chapter 06_feedforward"):
        zoo.ready("anc-alice-bob", weights_dir=tmp_path / "weights", results_dir=tmp_path / "results",
                  train_images=random_images((4, 28, 28)))
