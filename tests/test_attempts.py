"""Training attempts: each one trained once, audited, and the strongest chosen by key strength first."""

import numpy as np
import pytest

from medcrypt import attempts
from medcrypt.attacks.key_audit import KeyAudit
from medcrypt.ciphers.autoencoder import KeyedAutoencoderCipher
from tests.conftest import smooth_phantoms


def _audit(matter: int, claimed: int = 8) -> KeyAudit:
    bits = np.arange(claimed)
    mask = bits < matter
    return KeyAudit("x", claimed, bits, mask, mask, np.zeros(claimed, bool), 0.05)


class _Trained:
    class history:
        seconds = 1.0


def _attempt(label, matter, psnr, decrypts=True):
    return attempts.Attempt(label, "", {}, _Trained(), None, False, _audit(matter), psnr, decrypts)


def test_strongest_puts_key_strength_before_decryption_quality():
    weak_but_sharp, strong_but_blurred, strong_and_sharper = (_attempt("a", 0, 30.0), _attempt("b", 8, 12.0),
                                                             _attempt("c", 8, 14.0))
    assert attempts.strongest([weak_but_sharp, strong_but_blurred]).label == "b"
    assert attempts.strongest([weak_but_sharp, strong_but_blurred, strong_and_sharper]).label == "c"
    noise = _attempt("d", 8, 5.0, decrypts=False)  # every bit "matters" when even the right key gives noise
    assert attempts.strongest([weak_but_sharp, noise]).label == "a"
    with pytest.raises(ValueError):
        attempts.strongest([])


def test_decrypting_better_than_noise():
    images = smooth_phantoms(4, seed=2)
    noise = np.random.default_rng(0).integers(0, 256, images.shape, dtype=np.uint8)
    assert attempts.decrypts_better_than_noise(images, images)
    assert not attempts.decrypts_better_than_noise(images, noise)


def test_run_trains_each_attempt_once_and_audits_it(tmp_path):
    images = smooth_phantoms(8, seed=5)
    options = {"paper": ("as published", {"width": 4, "key_schedule": "bits"}),
               "hashed": ("key hashed", {"width": 4, "key_schedule": "hashed"})}

    def go():
        return attempts.run(lambda **o: KeyedAutoencoderCipher(image_shape=(28, 28), **o), options,
                            train=lambda c: c.fit(images, epochs=1, batch_size=8), weights_dir=tmp_path,
                            training={"epochs": 1}, test_images=images, key_seed=1)

    first = go()
    assert [a.label for a in first] == ["paper", "hashed"] and all(a.trained_now for a in first)
    assert first[0].path != first[1].path  # the options name the checkpoint
    again = go()
    assert not any(a.trained_now for a in again)
    assert [a.audit.effective_bits for a in again] == [a.audit.effective_bits for a in first]
    shown = attempts.table(first)
    assert list(shown.index) == ["paper", "hashed"] and shown.columns[-1] == attempts.COLUMNS[-1]
    assert first[1].to_dict()["config"] == {"width": 4, "key_schedule": "hashed"}
    with pytest.raises(ValueError, match="options must be a dict"):
        attempts.run(lambda **o: None, {"bad": ("x", [1])}, train=lambda c: None, weights_dir=tmp_path,
                     training={}, test_images=images, key_seed=1)
    with pytest.raises(ValueError, match="at least 4 test images"):
        attempts.run(lambda **o: None, options, train=lambda c: None, weights_dir=tmp_path, training={},
                     test_images=images[:2], key_seed=1)


def test_each_cipher_defaults_to_its_last_attempt_and_every_attempt_builds():
    from medcrypt.ciphers import factory

    for name, tried in attempts.KEY_ATTEMPTS.items():
        cls = factory(name)
        defaults = cls(image_shape=(28, 28)).config
        last = list(tried.values())[-1][1]
        assert {k: defaults[k] for k in last} == last, name
        for label, (changes, options) in tried.items():
            assert changes and cls(image_shape=(28, 28), **options).config.items() >= options.items(), (name, label)


def test_each_chapter_describes_every_attempt_it_trains():
    from pathlib import Path

    chapters = {"gan-keygen": "03_gan", "ae-keyed": "04_autoencoder", "anc-alice-bob": "06_feedforward"}
    root = Path(__file__).resolve().parents[1] / "notebooks"
    for name, tried in attempts.KEY_ATTEMPTS.items():
        text = (root / f"{chapters[name]}.py").read_text()
        assert f'KEY_ATTEMPTS["{name}"]' in text, name
        words = ["one", "two", "three", "four", "five", "six"]
        assert f"{words[len(tried) - 1]} attempts" in text, (name, "the chapter says how many attempts it trains")
        for label in tried:
            assert f"*{label}*" in text, (name, label)
