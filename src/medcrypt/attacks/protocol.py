"""Chapter 8's protocol as data: the settings of each profile and the results of one run.

Chapter 8 and ``medcrypt evaluate`` run the same attacks with the same sizes, so the sizes
live here once. :data:`FULL` is the chapter's own parameters (a test checks that the
notebook's parameters cell says the same), :data:`CI` shrinks them so that CI runs the
whole book on two CPU cores, and the book's runner injects :meth:`AttackSettings.parameters`
of ``CI`` into the chapter. :class:`AttackResults` holds one run's tables; the summary and
its verdicts (objects, never text read back) are computed from it in one place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import metrics, verdicts


@dataclass(frozen=True)
class AttackSettings:
    """The sizes of chapter 8's attacks; the defaults are the ``full`` profile."""

    seeds: tuple[int, ...] = (2026, 2027, 2028)  # the learned attacks run once per seed; tables keep the worst case
    n_pairs: tuple[int, ...] = (10, 100, 1000)  # the learned known-plaintext attack's curve (first seed)
    attack_steps: int = 300  # optimisation steps of the attacker's decryptor
    n_attack_test: int = 200  # held-out test images the attacks must decrypt
    ind_cpa_trials: int = 1000  # challenges per adversary and seed
    birthday_seconds: float = 10.0  # the birthday adversary's budget of encryption time per cipher
    birthday_floor: int = 2**16  # ... and at least this many queries for a cipher above 10^4 images/s
    birthday_maximum: int = 2**20  # ... and at most this many
    search_seconds: float = 10.0  # the random-key search's budget of decryption time per cipher
    search_floor: int = 2**16  # ... and at least this many random keys
    bit_flip_trials: int = 200  # one-bit forgeries per cipher
    algebraic_pool: int = 64  # known images offered to the algebraic attack
    leakage_train: int = 2000  # cipher images the diagnosis classifier is trained on
    classifier_epochs: int = 5
    n_sensitivity: int = 200
    audit_images: int = 8
    calibration_seeds: int = 20  # runs of every statistical test on AES-CTR and AES-GCM (chapter 8 only)
    calibration_leakage_train: int = 300
    calibration_birthday_queries: int = 2**16  # per calibration run
    calibration_search_keys: int = 4096  # random keys per calibration run
    zoo_train: int = 1024  # images for training a learned cipher that no earlier chapter saved
    zoo_epochs: int = 3
    throughput_repeats: int = 3  # timing repeats of ``medcrypt evaluate`` (chapter 9 times every cipher itself)

    #: Fields that only ``medcrypt evaluate`` reads, not chapter 8's parameters.
    EVALUATE_ONLY = ("throughput_repeats",)

    def __post_init__(self):
        for name in ("seeds", "n_pairs"):  # papermill and JSON give lists; a frozen value needs a tuple
            object.__setattr__(self, name, tuple(int(v) for v in getattr(self, name)))
        if not self.seeds or not self.n_pairs:
            raise ValueError("seeds and n_pairs need at least one value each")
        small = [f.name for f in dataclasses.fields(self) if isinstance(getattr(self, f.name), (int, float))
                 and not isinstance(getattr(self, f.name), bool) and getattr(self, f.name) < 0]
        if small:
            raise ValueError(f"these settings cannot be negative: {', '.join(small)}")

    def parameters(self, *, chapter: bool = True) -> dict:
        """The settings as a notebook's parameters (lists, not tuples); ``chapter`` leaves out evaluate's own."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}
        return {k: v for k, v in out.items() if not (chapter and k in self.EVALUATE_ONLY)}

    def overrides(self, base: "AttackSettings | None" = None) -> dict:
        """The chapter parameters that differ from ``base`` (:data:`FULL`): what the runner injects."""
        base = FULL if base is None else base
        mine, theirs = self.parameters(), base.parameters()
        return {k: v for k, v in mine.items() if v != theirs[k]}

    def with_images(self, images: int) -> "AttackSettings":
        """These settings with at most ``images`` test images for the attacks and the sensitivity tests."""
        if images < 2:
            raise ValueError(f"--images must be at least 2; got {images}")
        return dataclasses.replace(self, n_attack_test=images, n_sensitivity=min(self.n_sensitivity, images))


FULL = AttackSettings()
CI = dataclasses.replace(
    FULL, seeds=(2026,), n_pairs=(10, 100), attack_steps=60, n_attack_test=100, ind_cpa_trials=500,
    leakage_train=300, classifier_epochs=2, n_sensitivity=100, calibration_leakage_train=128, zoo_train=256,
    zoo_epochs=1, birthday_seconds=0.5, birthday_floor=0, birthday_maximum=2**16, search_seconds=0.5,
    search_floor=256, bit_flip_trials=50, calibration_birthday_queries=4096, calibration_search_keys=256,
    throughput_repeats=1)
#: The smallest sizes that still run every code path: for checking plumbing (a sweep's tests, a new cluster), never
#: for verdicts. Its games are too short for a pass to mean anything; the leaderboard prints no verdict for it.
SMOKE = dataclasses.replace(
    CI, n_pairs=(10,), attack_steps=5, n_attack_test=24, ind_cpa_trials=20, algebraic_pool=8, leakage_train=32,
    classifier_epochs=1, n_sensitivity=8, audit_images=2, zoo_train=8, birthday_seconds=0.05, birthday_maximum=256,
    search_seconds=0.05, search_floor=16, bit_flip_trials=5, calibration_seeds=2, calibration_leakage_train=32,
    calibration_birthday_queries=256, calibration_search_keys=16)
PROFILES = {"full": FULL, "ci": CI, "smoke": SMOKE}


def settings(profile: str) -> AttackSettings:
    """The settings of ``profile`` ('ci', 'full' or 'smoke')."""
    if profile not in PROFILES:
        raise ValueError(f"--profile must be one of {', '.join(PROFILES)}; got {profile!r}")
    return PROFILES[profile]


@dataclass
class AttackResults:
    """One run of chapter 8's attacks on some ciphers: a table per attack, and the table-wide level.

    The attack tables are those of :mod:`medcrypt.attacks.suite`; :meth:`summary_and_verdicts`
    is the one place they become verdicts and the table a reader sees.
    """

    level: float
    ind_cpa: pd.DataFrame
    algebraic: pd.DataFrame
    learned_kpa: pd.DataFrame
    chosen_plaintext: pd.DataFrame
    integrity: pd.DataFrame
    leakage: pd.DataFrame
    key_audit: pd.DataFrame
    sensitivity: pd.DataFrame
    extra: dict = field(default_factory=dict)  # what a caller keeps beside the tables (reconstructions, ...)

    TABLES = ("ind_cpa", "algebraic", "learned_kpa", "chosen_plaintext", "integrity", "leakage", "key_audit",
              "sensitivity")

    def summary_and_verdicts(self, roster: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, verdicts.Verdict]]]:
        """The pass/FAIL table (``roster``'s columns first, one row per cipher) and every cell as a Verdict."""
        from .suite import summary

        return summary(roster, self.ind_cpa, self.algebraic, self.learned_kpa, self.chosen_plaintext, self.integrity,
                       self.leakage, self.key_audit, self.sensitivity, self.level)

    def records(self) -> dict[str, list[dict]]:
        """Every attack table as a list of rows (index included), for a results file."""
        return {name: table_records(getattr(self, name)) for name in self.TABLES}


def table_records(frame: pd.DataFrame) -> list[dict]:
    """A table as a list of rows, its index as columns (an unnamed index is not written)."""
    named = frame.index.names != [None]
    rows = (frame.reset_index() if named else frame).to_dict(orient="records")
    return [{k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in row.items()} for row in rows]


def run_attacks(ready: dict, keys: dict, train_split, test_split, *, settings: AttackSettings, level: float,
                seed: int) -> AttackResults:
    """Every attack of chapter 8 on the ciphers of ``ready`` (name -> (cipher, source)), in the chapter's order.

    ``train_split`` and ``test_split`` are :class:`medcrypt.data.Split` s. The attacks decrypt
    the first ``settings.n_attack_test`` test images; the known pairs, the codebook's public
    images and the classifier's training images come from the training split. Chapter 8
    makes the same calls one section at a time, with prose between them.
    """
    from . import suite

    attack_test = test_split.images[:settings.n_attack_test]
    public = train_split.subset(1000, seed).images  # what an attacker holds without the key
    seeds = list(settings.seeds)
    cpa = suite.ind_cpa_table(ready, keys, attack_test, seeds=seeds, trials=settings.ind_cpa_trials,
                              birthday_seconds=settings.birthday_seconds, birthday_floor=settings.birthday_floor,
                              birthday_maximum=settings.birthday_maximum)
    algebraic, _ = suite.algebraic_table(ready, keys, train_split.subset(settings.algebraic_pool, seed).images,
                                         attack_test)
    kpa, reconstructions = suite.learned_kpa_table(ready, keys, train_split.images, attack_test,
                                                   n_pairs=list(settings.n_pairs), steps=settings.attack_steps,
                                                   seeds=seeds)
    chosen = suite.chosen_plaintext_table(ready, keys, attack_test, public.mean(axis=0).round(),
                                          attacker_images=public, seed=seed)
    integrity = suite.integrity_table(ready, keys, attack_test[:8], trials=settings.bit_flip_trials, seed=seed)
    leakage = suite.leakage_table(ready, keys, train_split.images, train_split.labels, test_split.images,
                                  test_split.labels, n_train=settings.leakage_train,
                                  epochs=settings.classifier_epochs, seeds=seeds)
    audit = suite.key_audit_table(ready, keys, attack_test[:settings.audit_images], level=level, seed=seed,
                                  search_seconds=settings.search_seconds, search_floor=settings.search_floor)
    sens = suite.sensitivity_table(ready, keys, test_split.images[:settings.n_sensitivity], seed=seed,
                                   alpha=metrics.ALPHA, level=level)
    return AttackResults(level, cpa, algebraic, kpa, chosen, integrity, leakage, audit, sens,
                         extra={"reconstructions": reconstructions})
