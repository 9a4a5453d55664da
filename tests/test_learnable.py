"""Learnable image encryption (chapter 7): the two schemes, their key spaces, the attacks on them and the classifier."""

import math

import numpy as np
import pandas as pd
import pytest
import torch

from medcrypt import classifier, families, learnable
from medcrypt.book import compare, prose
from medcrypt.attacks import AttackFailed, algebraic, jigsaw
from medcrypt.ciphers import get
from medcrypt.ciphers.learnable import (BlockScramblingEtC, BlockwiseLearnableEncryption, from_nibble_planes,
                                        nibble_planes, orient, to_blocks, unorient)

SCHEMES = ["le-blockwise", "etc-blockwise"]


def random_images(shape, dtype=np.uint8, seed=0):
    return np.random.default_rng(seed).integers(0, np.iinfo(dtype).max + 1, shape).astype(dtype)


@pytest.mark.parametrize("name", SCHEMES)
@pytest.mark.parametrize("shape,dtype", [((5, 28, 28), np.uint8), ((3, 28, 28, 3), np.uint8),
                                         ((2, 16, 24), np.uint16)])
def test_round_trip_is_bit_exact_and_a_wrong_key_does_not_decrypt(name, shape, dtype):
    cipher = get(name)
    images = random_images(shape, dtype)
    key = cipher.keygen(seed=1)
    encrypted = cipher.encrypt(images, key)
    assert encrypted.shape == images.shape and encrypted.dtype == images.dtype
    assert np.array_equal(cipher.decrypt(encrypted, key), images)
    assert np.mean(encrypted != images) > 0.9
    assert np.mean(cipher.decrypt(encrypted, cipher.keygen(seed=2)) != images) > 0.5
    assert np.array_equal(cipher.encrypt(images, key), encrypted)  # deterministic, by design


@pytest.mark.parametrize("name", SCHEMES)
def test_bad_input_raises_a_clear_error(name):
    cipher = get(name)
    with pytest.raises(ValueError, match="block size 4 must divide"):
        cipher.encrypt(random_images((1, 30, 28)), cipher.keygen(0))
    with pytest.raises(ValueError, match="key must be 32 bytes"):
        cipher.encrypt(random_images((1, 28, 28)), b"short")
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        get(name, block_size=0)
    with pytest.raises(ValueError, match="add a batch axis"):
        cipher.encrypt(random_images((28, 28)), cipher.keygen(0))


def test_le_applies_one_shuffle_of_4_bit_values_to_every_block():
    le = BlockwiseLearnableEncryption(block_size=4)
    key = le.keygen(seed=3)
    block = random_images((1, 4, 4), seed=4)
    image = np.tile(block, (1, 7, 7))  # 49 equal blocks
    blocks = to_blocks(le.encrypt(image, key)[..., None], 4)[0]
    assert all(np.array_equal(blocks[r, c], blocks[0, 0]) for r in range(7) for c in range(7))
    # The cipher block is the permuted, partly reversed 4-bit values of the plain block, packed two per byte.
    permutation, reverse = le.transform(key, 1)
    values = np.stack([block.ravel() >> 4, block.ravel() & 15], axis=-1).ravel()
    shuffled = values[permutation] ^ (reverse * 15)
    assert np.array_equal(blocks[0, 0].ravel(), (shuffled[0::2] << 4) | shuffled[1::2])


def test_etc_moves_turns_and_negates_whole_blocks_as_its_key_says():
    etc = BlockScramblingEtC(block_size=7)
    key = etc.keygen(seed=5)
    image = random_images((1, 28, 28), seed=6)
    plain = to_blocks(image[..., None], 7)[0].reshape(16, 7, 7, 1)
    cipher = to_blocks(etc.encrypt(image, key)[..., None], 7)[0].reshape(16, 7, 7, 1)
    steps = etc.transform(key, 16, 1)
    for j in range(16):
        expected = orient(plain[steps["positions"][j]], int(steps["orientation"][j]))
        assert np.array_equal(cipher[j], 255 - expected if steps["negative"][j] else expected)
    assert steps["colours"] is None
    colour = etc.transform(key, 16, 3)["colours"]
    assert colour is not None and set(colour) <= set(range(6))


def test_orient_and_unorient_are_the_eight_symmetries_of_a_square():
    block = random_images((4, 4, 1), seed=7)
    turned = {orient(block, code).tobytes() for code in range(8)}
    assert len(turned) == 8
    assert all(np.array_equal(unorient(orient(block, code), code), block) for code in range(8))


def test_key_spaces_follow_the_formulas():
    le, etc = BlockwiseLearnableEncryption(4), BlockScramblingEtC(4)
    assert le.key_space_bits((28, 28)) == pytest.approx(math.log2(math.factorial(32)) + 32)
    assert le.key_space_bits((28, 28, 3)) == pytest.approx(math.log2(math.factorial(96)) + 96)
    # N_B! · 8^N_B · 2^N_B for grey images, times 6^N_B with colour shuffling.
    assert etc.key_space_bits((28, 28)) == pytest.approx(math.log2(math.factorial(49)) + 49 * 4)
    assert etc.key_space_bits((28, 28, 3)) == pytest.approx(math.log2(math.factorial(49)) + 49 * (4 + math.log2(6)))
    table = learnable.key_space_table({"LE": le, "EtC": etc}, (28, 28))
    assert table.loc["EtC", "log2 distinct keys"] == 256 and table.loc["LE", "log2 distinct keys"] < 256


def test_nibble_planes_hold_the_upper_then_the_lower_4_bits():
    images = random_images((2, 4, 4, 3), seed=8)
    planes = nibble_planes(images)
    assert planes.shape == (2, 4, 4, 6) and planes.max() <= 15
    assert np.array_equal((planes[..., :3] << 4) | planes[..., 3:], images)
    assert np.array_equal(from_nibble_planes(planes), images)
    assert np.array_equal(from_nibble_planes(nibble_planes(images[..., 0])), images[..., 0])


# ------------------------------------------------------------------ attacks

def test_shared_jigsaw_restores_etc_images_bit_for_bit_from_cipher_images_alone(xrays):
    etc = get("etc-blockwise", block_size=4)
    key = etc.keygen(seed=9)
    result = jigsaw.jigsaw_attack(etc.encrypt(xrays[:40], key), xrays[:40], 4, shared=20)
    assert result.direct.min() == 1.0 and result.neighbour.min() == 1.0 and np.isinf(result.psnr)


def test_a_solver_that_ignores_negated_pieces_does_not_restore_etc_images(xrays):
    etc = get("etc-blockwise", block_size=7)
    key = etc.keygen(seed=9)
    assert etc.transform(key, 16, 1)["negative"].any()
    result = jigsaw.jigsaw_attack(etc.encrypt(xrays[:20], key), xrays[:20], 7, shared=20, negative=False)
    assert result.direct.max() < 1.0


def test_jigsaw_solves_single_x_rays_on_large_blocks_far_better_than_chance(xrays):
    """Each image on its own, 16 pieces of 7×7: a random arrangement would put about 1 in 256 blocks back."""
    etc = get("etc-blockwise", block_size=7)
    key = etc.keygen(seed=10)
    result = jigsaw.jigsaw_attack(etc.encrypt(xrays[:10], key), xrays[:10], 7)
    assert result.direct.mean() > 0.25 and result.direct.max() == 1.0


def test_score_counts_blocks_up_to_a_global_rotation_and_negation():
    image = random_images((28, 28), seed=11)
    assert jigsaw.score(image, image, 4).direct == 1.0
    assert jigsaw.score(image, 255 - np.rot90(image), 4).direct == 1.0
    swapped = image.copy()
    swapped[:4, :4], swapped[:4, 4:8] = image[:4, 4:8], image[:4, :4]
    scored = jigsaw.score(image, swapped, 4)
    assert scored.direct == pytest.approx(47 / 49) and scored.neighbour < 1.0
    with pytest.raises(ValueError, match="differ in shape"):
        jigsaw.score(image, image[:24], 4)


def test_jigsaw_input_errors():
    with pytest.raises(ValueError, match="multiples of the block size"):
        jigsaw.solve(random_images((30, 28)), 4)
    with pytest.raises(ValueError, match="shared must be between"):
        jigsaw.jigsaw_attack(random_images((2, 28, 28)), random_images((2, 28, 28)), 4, shared=3)


def test_le_shuffle_is_solved_from_one_cipher_image_and_decrypts_the_others(xrays):
    le = get("le-blockwise")
    key = le.keygen(seed=18)
    cipher_images = le.encrypt(xrays, key)
    restored = jigsaw.le_arrangement(cipher_images[:1], 4).decrypt(cipher_images)
    assert all(jigsaw.score(o, r, 4).direct == 1.0 for o, r in zip(xrays, restored))
    table, _ = learnable.le_puzzle_table(le, key, xrays[:50], counts=[1])
    assert table.loc[0, "restored"] == 1.0
    with pytest.raises(ValueError, match="grey uint8"):
        jigsaw.le_arrangement(random_images((2, 28, 28, 3)), 4)


def test_the_le_puzzle_fails_on_etc_images_whose_blocks_move(xrays):
    """The attack relies on LE keeping blocks in place; on EtC images it must not restore them."""
    etc = get("etc-blockwise")
    cipher_images = etc.encrypt(xrays[:20], etc.keygen(seed=19))
    restored = jigsaw.le_ciphertext_only(cipher_images, 4)
    assert np.mean([jigsaw.score(o, r, 4).direct for o, r in zip(xrays[:20], restored)]) < 0.5


def test_the_algebraic_attack_on_4_bit_values_recovers_le_and_byte_structures_come_first(xrays):
    le = get("le-blockwise")
    key = le.keygen(seed=12)
    result = algebraic.algebraic_attack(lambda p: le.encrypt(p, key), xrays[100:164], xrays[:50])
    assert result.structure == algebraic.NIBBLE_STRUCTURE
    assert result.bit_exact_rate == 1.0 and np.array_equal(result.reconstructions, xrays[:50])
    with pytest.raises(AttackFailed):  # the byte structures alone do not fit LE
        algebraic.recover_key(xrays[100:164], le.encrypt(xrays[100:164], key), "permutation + XOR")
    etc = get("etc-blockwise")
    etc_key = etc.keygen(seed=12)
    assert algebraic.algebraic_attack(lambda p: etc.encrypt(p, etc_key), xrays[100:116],
                                      xrays[:10]).structure == "permutation + XOR"
    aes = get("aes-ctr")
    aes_key = aes.keygen(seed=12)
    with pytest.raises(AttackFailed):
        algebraic.algebraic_attack(lambda p: aes.encrypt(p, aes_key), xrays[100:110], xrays[:5])


def test_known_plaintext_table_breaks_both_schemes_algebraically(xrays):
    schemes = {name: (get(name), get(name).keygen(seed=13)) for name in SCHEMES}
    table, shown = learnable.known_plaintext_table(schemes, xrays[100:200], xrays[:20], n_pairs=[20], steps=10)
    found = table[table["attack"].str.startswith("algebraic")].set_index("scheme")
    assert (found["bit-exact"] == 1.0).all()
    assert found.loc["le-blockwise", "attack"] == "algebraic (4-bit permutation + XOR)"
    assert any(label.startswith("etc-blockwise: algebraic") for label in shown)


# ------------------------------------------------------------------ the classifier

def test_a_blockwise_first_layer_can_undo_le_exactly():
    """Permuting the first layer's weights as LE permutes 4-bit values gives the plain model's outputs on LE images."""
    torch.manual_seed(0)
    le = BlockwiseLearnableEncryption(block_size=4)
    key = le.keygen(seed=14)
    model = classifier.BlockwiseClassifier((8, 8), 4).eval()
    images = random_images((3, 8, 8), seed=15)
    permutation, reverse = le.transform(key, 1)
    weight, bias = model.blocks.weight.detach(), model.blocks.bias.detach()  # (K, 2, 4, 4)
    # Value v of a block (pixel p = v // 2, upper if v is even) is input plane v % 2 at pixel p.
    flat = weight.permute(0, 2, 3, 1).reshape(len(weight), 32)  # column index = 2·pixel + plane = v
    sign = torch.from_numpy(np.where(reverse, -1.0, 1.0)).float()
    new_flat = flat[:, permutation] * sign  # cipher value k is plain value permutation[k], maybe reversed
    new_bias = bias + (flat[:, permutation] * torch.from_numpy(reverse.astype(np.float32))).sum(1)
    adapted = classifier.BlockwiseClassifier((8, 8), 4).eval()
    adapted.load_state_dict(model.state_dict())
    with torch.no_grad():
        adapted.blocks.weight.copy_(new_flat.reshape(len(weight), 4, 4, 2).permute(0, 3, 1, 2))
        adapted.blocks.bias.copy_(new_bias)
        plain_out = model(classifier.nibble_inputs(images))
        cipher_out = adapted(classifier.nibble_inputs(le.encrypt(images, key)))
    assert torch.allclose(plain_out, cipher_out, atol=1e-5)


def test_utility_table_has_every_pairing(xrays):
    schemes = {"LE": (get("le-blockwise"), get("le-blockwise").keygen(seed=16))}
    labels = (xrays.mean(axis=(1, 2)) > np.median(xrays.mean(axis=(1, 2)))).astype(int)
    table = learnable.utility_table(schemes, xrays[:100], labels[:100], xrays[100:], labels[100:],
                                    wrong_keys={"LE": get("le-blockwise").keygen(seed=17)}, epochs=1, seed=0)
    pairs = set(zip(table["classifier"], table["trained on"], table["tested on"]))
    assert pairs == {("block-wise", "plain", "plain"), ("block-wise", "plain", "LE"), ("CNN", "plain", "plain"),
                     ("block-wise", "LE", "LE"), ("block-wise", "LE", "LE, another key"), ("CNN", "LE", "LE")}
    assert table["auc"].between(0, 1).all() and (table["auc_se"] > 0).all()


def test_blockwise_classifier_refuses_a_block_size_that_does_not_divide():
    with pytest.raises(ValueError, match="must divide"):
        classifier.BlockwiseClassifier((28, 28), 5)


# ------------------------------------------------------------------ the family table

def test_the_family_is_one_row_and_its_chapter_is_expected_by_the_comparison():
    row = families.get("learnable")
    assert row.chapter == "07_learnable" and "learnable" in families.METHOD_FAMILIES
    assert row.chapter in compare.EXPECTED and compare.FAMILY_CHAPTERS["learnable"] == row.chapter
    assert compare.ATTACK_CHAPTER == families.get("cryptanalysis").chapter
    assert {get(name).family for name in SCHEMES} == {"learnable"}


# ------------------------------------------------------------------ prose

def _utility(own_auc=0.85, other_auc=0.5, se=0.02):
    rows = [("block-wise", "plain", "plain", 0.86), ("block-wise", "plain", "LE", 0.6), ("CNN", "plain", "plain", 0.9),
            ("block-wise", "LE", "LE", own_auc), ("block-wise", "LE", "LE, another key", other_auc),
            ("CNN", "LE", "LE", 0.7)]
    return pd.DataFrame([{"classifier": c, "trained on": t, "tested on": s, "accuracy": 0.8, "auc": a, "auc_se": se}
                         for c, t, s, a in rows])


def test_utility_and_key_sentences_follow_the_standard_errors():
    assert "within two standard errors" in prose.utility_sentence(_utility(0.85), ["LE"])
    assert "reaches 0.900 on plain images, 0.700 on LE images." in prose.utility_sentence(_utility(0.85), ["LE"])
    assert "below it by 0.310" in prose.utility_sentence(_utility(0.55), ["LE"])
    assert "still above chance" in prose.key_needed_sentence(_utility(other_auc=0.7), ["LE"])
    assert "no better than chance" in prose.key_needed_sentence(_utility(other_auc=0.52), ["LE"])
    both = _utility(other_auc=0.7)
    both = pd.concat([both, both.replace("LE", "EtC").replace("LE, another key", "EtC, another key")])
    twice = prose.key_needed_sentence(both, ["LE", "EtC"])
    assert twice.count("keeps features") == 1 and "also above chance" in twice  # the reason is given once
    assert prose.promise_sentence(_utility(0.85), ["LE"]).startswith("The family's promise holds in this run:")
    assert "does not hold" in prose.promise_sentence(_utility(0.52), ["LE"])


def _jigsaw(restored_shared):
    return pd.DataFrame([
        {"block size": 4, "attack": "each image alone", "cipher images used": 1, "images scored": 10, "direct": 0.03,
         "restored": 0.0},
        {"block size": 4, "attack": "5 cipher images", "cipher images used": 5, "images scored": 100, "direct": 0.1,
         "restored": 0.0},
        {"block size": 4, "attack": "10 cipher images", "cipher images used": 10, "images scored": 100,
         "direct": 1.0 if restored_shared else 0.2, "restored": 1.0 if restored_shared else 0.0}])


def _known(algebraic_images):
    return pd.DataFrame([
        {"scheme": "EtC", "attack": "learned inversion (convolutional)", "known images": 100, "PSNR (dB)": 23.0,
         "guess PSNR (dB)": 17.4},
        {"scheme": "EtC", "attack": "algebraic", "known images": algebraic_images}])


def test_jigsaw_known_plaintext_and_verdict_sentences():
    assert "from 10 cipher images together restores every one" in prose.jigsaw_sentence(_jigsaw(True))
    assert "restores none of the 10 images" in prose.jigsaw_sentence(_jigsaw(True))
    assert "no count tried restores every image" in prose.jigsaw_sentence(_jigsaw(False))
    assert "from 6 known images" in prose.known_plaintext_sentence(_known(6))
    assert "decrypts no test set exactly" in prose.known_plaintext_sentence(_known(None))
    broken = prose.verdict_sentence(_utility(other_auc=0.7), ["EtC"], _known(6), ["LE"])
    assert broken.startswith("The diagnosis is not hidden") and "restores EtC images bit for bit" in broken
    held = prose.verdict_sentence(_utility(other_auc=0.5), [], _known(None), ["LE"])
    assert "needs the key" in held and "No attack of this chapter restored the images." in held
    one = _jigsaw(True).iloc[1:].assign(**{"cipher images used": [1, 2], "restored": [1.0, 1.0]})
    assert prose.le_puzzle_sentence(one).startswith("Solved from a single cipher image, LE's shuffle decrypts every")
    failed = _jigsaw(False).iloc[1:].assign(**{"PSNR (dB)": 20.0})
    assert "no count tried restores every image" in prose.le_puzzle_sentence(failed)


def _audit(*rows):
    """Chapter 7's key-audit table: (scheme, claimed bits, effective bits, bits decrypting closer than noise)."""
    columns = ["scheme", "claimed_bits", "effective_bits", "bits_decrypting_closer_than_noise"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows]).set_index("scheme")


def test_audit_sentence_gives_the_reason_once():
    text = prose.audit_sentence(_audit(("LE", 256, 34, 222), ("EtC", 256, 0, 256)))
    assert text.count("wrong places") == 1 and "0 of EtC's 256 key bits matter (256 flipped bits decrypt" in text


def test_audit_sentence_names_the_bits_that_decrypt_closer_than_noise():
    text = prose.audit_sentence(_audit(("LE", 256, 65, 191), ("AES", 256, 256, 0)))
    assert text.startswith("By the audit, 65 of LE's 256 key bits matter (191 flipped bits")
    assert text.endswith("256 of AES's 256 key bits matter.")


def test_shown_tables_have_readable_headers_and_no_raw_values():
    table = pd.DataFrame({"auc": [0.91234, float("nan")], "PSNR (dB)": [float("inf"), 12.3456], "known images": [4, 5]})
    out = learnable.shown(table)
    assert list(out.columns) == ["AUC", "PSNR (dB)", "known images"]
    assert list(out["AUC"]) == ["0.912", "–"] and list(out["PSNR (dB)"]) == ["∞", "12.35"]


def test_shown_tables_have_no_row_numbers_and_fixed_decimals_per_column():
    table = pd.DataFrame({"attack": ["alone", "2 images"], "direct": [0.0, 0.0172], "seconds": [3.198, 12.0],
                          "PSNR (dB)": [31.456, float("inf")], "known images": [4.0, float("nan")]})
    out = learnable.shown(table)
    assert out.index.name == "attack" and list(out.index) == ["alone", "2 images"]
    assert list(out["direct"]) == ["0.000", "0.017"]  # one number of decimals in a column, not "0" beside "0.017"
    assert list(out["seconds"]) == ["3.2", "12.0"] and list(out["PSNR (dB)"]) == ["31.46", "∞"]
    assert list(out["known images"]) == ["4", "–"]
