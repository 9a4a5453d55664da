"""No false pass: randomised but broken ciphers of every class we know FAIL, sound ones still pass, nonces never repeat.

The fixtures (tests/insecure_ciphers.py) are written as an outsider would write them; the
verdicts are taken at the level of a realistic table (17 ciphers, one seed).
"""

import numpy as np
import pytest

from medcrypt import evaluate, verdicts, zoo
from medcrypt.attacks import suite
from medcrypt.attacks.ind_cpa import ind_cpa, whole_ciphertext
from medcrypt.ciphers import get

import insecure_ciphers as fixtures  # noqa: E402  (tests/ is on the path under pytest)

LEVEL = verdicts.table_level(0.05, n_ciphers=17, seeds=1)


def _ind_cpa_verdict(cipher, images, **kwargs):
    key = cipher.keygen(seed=1)
    games = ind_cpa(lambda p: cipher.encrypt(p, key), images, trials=300, seed=1, **kwargs)
    return verdicts.ind_cpa({n: g.p_value for n, g in games.items()},
                            {n: (g.advantage, *g.interval()) for n, g in games.items()}, LEVEL,
                            max(g.queries for g in games.values()), {n: g.repeats for n, g in games.items()})


@pytest.mark.parametrize("cipher", [fixtures.EncryptAndMAC(), fixtures.ParityByte(), fixtures.CentrePixelByte(),
                                    fixtures.NoisyLeakByte(), fixtures.RepeatedKeyStream(), fixtures.PermuteAndXorByte(),
                                    fixtures.MaskInTheClear()],
                         ids=lambda c: c.name)
def test_randomised_ciphers_that_leak_a_plaintext_function_fail_ind_cpa(xrays, cipher):
    cell = _ind_cpa_verdict(cipher, xrays[:60], birthday_queries=256)
    assert cell.passed is False


def test_a_leaked_parity_bit_alone_is_found_among_random_bits(xrays):
    from medcrypt.attacks.ind_cpa import BitDistinguisher, DeterministicField, play

    cipher = fixtures.ParityByte()
    key = cipher.keygen(seed=2)
    for adversary in (DeterministicField("one bit", trials=200), BitDistinguisher("one bit")):
        game = play(adversary, lambda p: cipher.encrypt(p, key), xrays[:60], trials=200, seed=2)
        assert game.advantage > 0.9 and game.p_value < LEVEL, adversary.name


def test_a_short_nonce_fails_through_the_birthday_adversary(xrays):
    cell = _ind_cpa_verdict(fixtures.ShortNonceCTR(), np.ascontiguousarray(xrays[:60, :8, :8]), birthday_queries=1 << 16)
    assert cell.passed is False and "birthday" in cell.figure


def test_a_nonce_that_repeats_among_the_queries_fails_though_the_challenge_is_rarely_hit(xrays):
    cell = _ind_cpa_verdict(fixtures.NonceCTR24(), np.ascontiguousarray(xrays[:60, :8, :8]), birthday_queries=1 << 14)
    assert cell.passed is False and "repeated nonces" in cell.figure and "birthday" in cell.figure


@pytest.mark.parametrize("name", ["aes-ctr", "aes-gcm"])
def test_sound_ciphers_pass_the_whole_battery(xrays, name):
    cell = _ind_cpa_verdict(get(name), xrays[:60], birthday_queries=1 << 14)
    assert cell.passed is True and "no adversary in the battery won" in cell.figure


def test_the_whole_ciphertext_includes_extra_bytes_and_side_data(xrays):
    cipher = get("aes-gcm")
    out = cipher.encrypt(xrays[:3], cipher.keygen(seed=0))
    rows = whole_ciphertext(out)
    assert rows.shape == (3, 28 * 28 + out.side.shape[1])
    assert np.array_equal(rows[:, 28 * 28:], out.side)


@pytest.mark.parametrize("cipher", [fixtures.SmallKeySpace(), fixtures.ParityKey()])
def test_a_small_key_space_fails_the_key_audit_although_every_flip_matters(xrays, cipher):
    key = cipher.keygen()
    assert np.array_equal(cipher.decrypt(cipher.encrypt(xrays[:2], key), key), xrays[:2])  # a working cipher
    ready = {cipher.name: (cipher, "no training")}
    audit = suite.key_audit_table(ready, {cipher.name: key}, xrays[:8], level=LEVEL,
                                  search_seconds=0.0, search_floor=4096)
    row = audit.loc[cipher.name]
    assert row["effective_bits"] == 256  # one bit at a time, every bit matters...
    cell = suite.key_audit_verdict(row)
    assert cell.passed is False and "random keys give about 2^" in cell.figure  # ...but the search sees the space
    assert "among 4,096 random keys" in cell.figure and "pairs that decrypt alike" in cell.figure
    assert row["search_estimated_bits"] < 20


def test_sound_keys_pass_the_key_audit_with_a_stated_bound(xrays):
    cipher = get("aes-ctr")
    audit = suite.key_audit_table({"aes-ctr": (cipher, "no training")}, {"aes-ctr": cipher.keygen()}, xrays[:8],
                                  level=LEVEL, search_seconds=0.0, search_floor=2048)
    cell = suite.key_audit_verdict(audit.loc["aes-ctr"])
    assert cell.passed is True and "no equal keys among 2,048 random keys" in cell.figure


def test_ciphertext_expansion_runs_through_every_column(shared_root, tmp_path):
    """An AES-CTR with its IV prepended and a parity byte appended: (N, 801) bytes out, every column measured."""
    payload = evaluate.run("tests/insecure_ciphers.py:ParityByte", out=tmp_path, profile="ci", images=24,
                           data_root=shared_root)
    cells = payload["verdicts"]["parity-byte"]
    assert set(cells) == {*verdicts.COLUMNS, verdicts.STATISTICS}
    assert cells["IND-CPA"]["state"] == "FAIL" and cells["chosen ciphertext (bit flip)"]["state"] == "FAIL"
    assert payload["passed_all"]["parity-byte"] is False
    metrics_row = next(r for r in payload["tables"]["metrics"] if r["cipher"] == "parity-byte")
    assert metrics_row["corr_h_pooled"] is None  # image-shaped statistics do not apply: n/a, not a number
    assert metrics_row["cipher_bytes_per_image"] == 16 + 28 * 28 + 1


def _counter_blocks(cipher_images, blocks: int) -> set[int]:
    starts = [int.from_bytes(bytes(row), "big") for row in cipher_images.side]
    return {(s + i) % (1 << 128) for s in starts for i in range(blocks)}


def test_ciphers_built_as_the_book_and_evaluate_build_them_never_share_a_counter_block(xrays):
    """Two AES-CTR objects built the same way (same seed) must not share key-streams: no seeded nonces."""
    built = [zoo.build("aes-ctr", xrays.shape[1:], seed=2026), zoo.build("aes-ctr", xrays.shape[1:], seed=2026),
             evaluate.build(type(get("aes-ctr")), xrays.shape[1:], seed=2026), get("aes-ctr")]
    key = built[0].keygen(seed=2026)
    blocks = -(-28 * 28 // 16)
    seen: set[int] = set()
    for cipher in built:
        counters = _counter_blocks(cipher.encrypt(xrays[:50], key), blocks)
        assert len(counters) == 50 * blocks and not counters & seen
        seen |= counters
    hopfield = [zoo.build("chaos-hopfield-nonce", xrays.shape[1:], seed=2026) for _ in range(2)]
    nonces = [bytes(n) for h in hopfield for n in h.encrypt(xrays[:50], bytes(24)).side]
    assert len(set(nonces)) == len(nonces)


def test_reproducible_nonces_hide_behind_an_unsafe_test_only_name():
    import inspect

    for name in ("aes-ctr", "chaos-hopfield-nonce"):
        parameters = inspect.signature(type(get(name))).parameters
        assert "nonce_seed" not in parameters and "unsafe_test_nonce_seed" in parameters


def test_the_probe_images_split_any_pixel_bit_and_the_sum_parity(xrays):
    """Every single-pixel bit and the parity take both values among the probes, so a leak of one is never hidden."""
    from medcrypt.attacks.ind_cpa import probe_images

    probes = probe_images(xrays[:60], np.random.default_rng(3)).reshape(16, -1)
    bits = np.unpackbits(probes[:, :, None], axis=2).reshape(16, -1)
    assert np.all(bits.min(axis=0) != bits.max(axis=0))
    assert len(set(probes.astype(np.int64).sum(axis=1) % 2)) == 2


def test_per_challenge_pairs_must_match_the_number_of_challenges(xrays):
    from medcrypt.attacks.ind_cpa import DeterministicField, play

    cipher = get("aes-ctr")
    key = cipher.keygen(seed=0)
    with pytest.raises(ValueError, match="build it with trials=40"):
        play(DeterministicField(trials=50), lambda p: cipher.encrypt(p, key), xrays[:20], trials=40, seed=0)
