"""Chapter 10: DICOM reading, 16-bit ciphers and metrics, and DICOM-aware protection (medcrypt.data, .metrics, .clinic)."""

import copy
import io
import warnings

import numpy as np
import pydicom
import pytest

from medcrypt import clinic, data, metrics, verdicts, zoo
from medcrypt.book import compare, prose
from medcrypt.ciphers import AuthenticationError, available, get
from medcrypt.ciphers.base import bit_depths, bytes_as_words, words_as_bytes

BYTE_CIPHERS = ["aes-ctr", "aes-ctr-nonce-reuse", "aes-ecb", "aes-gcm", "chaos-logistic", "chaos-hopfield",
                "chaos-hopfield-nonce", "identity", "le-blockwise", "etc-blockwise"]


def words(shape=(3, 32, 32), top=2**16, seed=0):
    return np.random.default_rng(seed).integers(0, top, shape, dtype=np.uint16)


# ------------------------------------------------------------------ data: DICOM and damaged MedMNIST files

@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "examples_overlay.dcm"])
def test_bundled_dicom_files_read_as_16_bit_words_with_their_header(name):
    image = data.read_dicom(name)
    assert image.bits_allocated == 16 and image.words.dtype == np.uint16 and image.levels == 65_536
    assert image.words.shape == (1, *image.pixels.shape)
    assert image.words.tobytes() == image.header.PixelData  # exactly the file's bits (two's complement kept)
    assert str(image.header.PatientName)


def test_signed_pixels_keep_their_bits_as_unsigned_words():
    image = data.read_dicom("CT_small.dcm")
    assert image.signed and np.array_equal(image.words[0].view(np.int16), image.pixels)


@pytest.mark.parametrize("name, message", [
    ("MR_small_jpeg_ls_lossless.dcm", "no installed decoder"),
    ("rtdose_1frame.dcm", "32-bit pixels"),
    ("MR_truncated.dcm", "damaged"),
    ("reportsi.dcm", "no pixel data"),
    ("no_such_file.dcm", "does not bundle"),
])
def test_dicom_files_the_book_cannot_use_raise_a_clear_error(name, message):
    with pytest.raises(data.DicomError, match=message):
        data.read_dicom(name)


def test_a_file_that_is_not_dicom_says_so(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not an image")
    with pytest.raises(data.DicomError, match="not a DICOM file"):
        data.read_dicom(path)
    with pytest.raises(FileNotFoundError, match="bundled sample"):
        data.read_dicom(tmp_path / "missing.dcm")


def test_a_truncated_medmnist_file_names_itself_its_md5_and_how_to_fetch_it(shared_root, tmp_path):
    source = (shared_root / "breastmnist.npz").read_bytes()
    (tmp_path / "breastmnist.npz").write_bytes(source[: len(source) // 2])
    url, official = data.official_url_md5("breastmnist")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.OfflineCopyWarning)
        with pytest.raises(data.MedMNISTDamaged) as caught:
            data.load("breastmnist", "test", root=tmp_path, download=False)
    message = str(caught.value)
    assert "breastmnist.npz" in message and "damaged" in message and official in message and url in message
    import hashlib
    assert hashlib.md5(source[: len(source) // 2]).hexdigest() in message


# ------------------------------------------------------------------ metrics at L levels

def test_eight_bit_results_do_not_change_with_an_explicit_l_of_256():
    x = np.random.default_rng(1).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    y = np.random.default_rng(2).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    assert metrics.entropy(x).pooled == metrics.entropy(x, 256).pooled
    assert metrics.chi_square(x).p_value.pooled == metrics.chi_square(x, 256).p_value.pooled
    assert metrics.npcr_uaci(x, y).uaci.pooled == metrics.npcr_uaci(x, y, 256).uaci.pooled
    assert metrics.psnr_from_mse(1.0) == pytest.approx(10 * np.log10(255**2), abs=1e-12)


@pytest.mark.parametrize("levels", [4096, 65_536])
def test_npcr_uaci_moments_at_l_levels_match_simulated_random_pairs(levels):
    rng = np.random.default_rng(levels)
    a = rng.integers(0, levels, (400, 64, 64), dtype=np.uint16)
    b = rng.integers(0, levels, (400, 64, 64), dtype=np.uint16)
    diff = metrics.npcr_uaci(a, b, levels)
    n = 64 * 64
    assert diff.npcr.per_image.mean() == pytest.approx(metrics.npcr_expected(levels), abs=5 * np.sqrt(1 / levels / (400 * n)))
    assert diff.uaci.per_image.mean() == pytest.approx(metrics.uaci_expected(levels), abs=5e-4)
    assert diff.uaci.per_image.std() == pytest.approx(metrics.uaci_std(n, levels), rel=0.15)
    assert diff.uaci_pass_rate() == pytest.approx(metrics.uaci_null_pass_rate(n, levels=levels), abs=0.04)
    assert diff.npcr_pass_rate() == pytest.approx(metrics.npcr_null_pass_rate(n, levels=levels), abs=0.04)


def test_expected_entropy_at_l_levels_matches_monte_carlo():
    rng = np.random.default_rng(3)
    sample = rng.integers(0, 4096, (300, 32, 32), dtype=np.uint16)
    measured = metrics.entropy(sample, 4096).per_image.mean()
    assert measured == pytest.approx(metrics.expected_entropy(1024, 4096), abs=0.01)
    assert metrics.expected_entropy(128 * 128, 65_536) < 14  # far below the ideal 16 at this size


def test_chi_square_at_16_bits_uses_256_bins_and_accepts_uniform_words():
    assert metrics.chi_square_bins(65_536) == 256 and metrics.chi_square_bins(256) == 256
    test = metrics.chi_square(words((200, 64, 64), seed=4))
    assert 0.9 < test.pass_rate() < 1.0
    assert metrics.chi_square(np.full((1, 64, 64), 1000, np.uint16)).p_value.pooled < 1e-10
    with pytest.raises(ValueError, match="divide"):
        metrics.chi_square(words(), bins=300)


def test_psnr_uses_the_peak_of_l_levels():
    x = words((2, 16, 16), top=60_000)
    off = x + 1
    assert metrics.psnr(x, off).pooled == pytest.approx(20 * np.log10(65_535), abs=1e-9)
    assert metrics.psnr(x, off, levels=2**16).pooled == pytest.approx(20 * np.log10(65_535), abs=1e-9)
    assert metrics.psnr(x, x).pooled == np.inf


def test_bitstream_of_words_is_msb_first_whatever_the_byte_order():
    bits = metrics.bitstream(np.array([[[0x8001]]], np.uint16))
    assert bits.dtype == np.int64 and bits.tolist() == [1] + [0] * 14 + [1]


def test_levels_that_do_not_fit_the_data_are_refused():
    with pytest.raises(ValueError, match="levels=4096"):
        metrics.entropy(np.array([[[5000]]], np.uint16), levels=4096)
    with pytest.raises(ValueError, match="uint8"):
        metrics.entropy(np.zeros((1, 4, 4), np.float32))


def test_one_pixel_change_wraps_modulo_l():
    x = np.full((5, 4, 4), 4095, np.uint16)
    changed = metrics.one_pixel_change(x, np.random.default_rng(0), 4096)
    assert (changed != x).sum() == 5 and changed.max() == 4095 and changed.min() == 0


# ------------------------------------------------------------------ which ciphers take 16-bit words

@pytest.mark.parametrize("name", BYTE_CIPHERS)
def test_byte_ciphers_round_trip_16_bit_words_bit_for_bit(name):
    cipher = zoo.build(name, (32, 32), 0)
    key = cipher.keygen(0)
    x = words()
    encrypted = cipher.encrypt(x, key)
    assert encrypted.dtype == np.uint16 and encrypted.shape == x.shape
    assert np.array_equal(cipher.decrypt(encrypted, key), x)
    assert bit_depths(cipher) == (8, 16)
    if name != "identity":
        other = cipher.flip_key_bit(key, 0)
        try:
            wrong = cipher.decrypt(encrypted, other)
        except AuthenticationError:
            return
        assert not np.array_equal(wrong, x)


def test_aes_gcm_rejects_an_altered_16_bit_cipher_image():
    cipher = get("aes-gcm")
    key = cipher.keygen(0)
    encrypted = cipher.encrypt(words(), key)
    encrypted[0, 0, 0] ^= 1
    with pytest.raises(AuthenticationError):
        cipher.decrypt(encrypted, key)


def test_words_and_bytes_convert_both_ways_little_endian_first():
    x = np.array([[[0x0102, 0xA0B0]]], np.uint16)
    as_bytes = words_as_bytes(x)
    assert as_bytes.shape == (1, 1, 2, 2) and as_bytes.ravel().tolist() == [0x02, 0x01, 0xB0, 0xA0]
    assert np.array_equal(bytes_as_words(as_bytes, x.shape), x)


@pytest.mark.parametrize("name", ["inn-coupling", "anc-alice-bob"])
def test_learned_ciphers_refuse_16_bit_data_with_a_clear_value_error(name):
    cipher = zoo.build(name, (28, 28), 0)
    with pytest.raises(ValueError, match="8-bit images only.*dtype uint16"):
        cipher.encrypt(words((1, 28, 28)), cipher.keygen(0))


def test_support_table_asks_each_cipher():
    table = clinic.support_table((32, 32), names=["aes-ctr", "chaos-logistic", "inn-coupling"]).set_index("cipher")
    assert table.loc["aes-ctr", "takes_16_bit"] and table.loc["aes-ctr", "lossless_16_bit"]
    assert not table.loc["inn-coupling", "takes_16_bit"] and "8-bit" in table.loc["inn-coupling", "refusal"]
    assert table.loc["inn-coupling", "learned"] and table.loc["inn-coupling", "parameters_native"] > 0


def test_support_table_catches_a_cipher_that_claims_16_bits_and_refuses_them(monkeypatch):
    from medcrypt.ciphers import factory
    monkeypatch.setattr(factory("inn-coupling"), "bit_depths", (8, 16), raising=False)
    with pytest.raises(AssertionError, match="inn-coupling"):
        clinic.support_table((28, 28), names=["inn-coupling"])


def test_every_registered_cipher_declares_what_it_does():
    declared = {name: bit_depths(get_factory(name))
                for name in available()}
    assert {n for n, d in declared.items() if 16 in d} == set(BYTE_CIPHERS)


def get_factory(name):
    from medcrypt.ciphers import factory
    return factory(name)


def test_chosen_plaintext_attack_breaks_the_chaotic_cipher_at_16_bits_and_not_aes():
    image = data.read_dicom("MR_small.dcm")
    chaos = zoo.build("chaos-logistic", image.shape, 0)
    exact, used = clinic.chosen_plaintext_on_words(chaos, chaos.keygen(0), image.words)
    assert exact and used >= 2
    ctr = zoo.build("aes-ctr", image.shape, 0)
    assert clinic.chosen_plaintext_on_words(ctr, ctr.keygen(0), image.words) is None


def test_evaluate_native_judges_16_bit_aes_as_random():
    image = data.read_dicom("MR_small.dcm")
    cipher = zoo.build("aes-ctr", image.shape, 0)
    row = clinic.evaluate_native(cipher, image, cipher.keygen(0), repeats=6)
    assert row["cipher_levels"] == 65_536 and row["entropy_ideal"] == 16 and row["n_trials"] == 6
    assert row["bit_exact_rate"] == 1.0 and row["npcr"] > 0.9999
    assert abs(row["entropy_per_image"] - row["entropy_expected_per_image"]) < 0.05
    flags = verdicts.suite_flags(row, (64, 64), 0.05)
    assert flags["per-image χ²"] is None  # one image cannot decide a count of passes
    assert not flags["one-pixel NPCR"] and not flags["pooled χ²"]


def test_the_comparison_leaderboard_keeps_8_bit_rows_only():
    payloads = {"10_clinic": {"metadata": {}, "rows": [{"cipher": "aes-ctr", "entropy_per_image": 13.7, "levels": 65_536},
                                                       {"cipher": "aes-ctr", "entropy_per_image": 7.7, "levels": 256}]}}
    assert list(compare.measured(payloads)["entropy_per_image"]) == [7.7]


# ------------------------------------------------------------------ DICOM-aware protection

@pytest.fixture(scope="module")
def ct():
    return data.read_dicom("CT_small.dcm").header


def _file(dataset):
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def test_protect_writes_a_valid_dicom_file_without_the_identity(ct):
    key = clinic.keygen()
    raw = _file(clinic.protect(ct, key))
    reread = pydicom.dcmread(io.BytesIO(raw))
    assert reread.PatientIdentityRemoved == "YES"
    assert reread.DeidentificationMethodCodeSequence[0].CodeValue == "113100"
    assert reread.pixel_array.shape == ct.pixel_array.shape
    for value in (str(ct.PatientName), ct.PatientID, ct.SOPInstanceUID, ct.StudyInstanceUID, ct.InstitutionName):
        assert value.encode() not in raw
    assert reread.PixelData != ct.PixelData


def test_the_profile_code_is_dicoms_own():
    from pydicom.sr.codedict import codes
    code = codes.DCM.BasicApplicationConfidentialityProfile
    assert clinic.PROFILE_CODE == (code.value, code.scheme_designator, code.meaning)


def test_unprotect_restores_pixels_and_attributes_exactly(ct):
    key = clinic.keygen()
    restored = clinic.unprotect(pydicom.dcmread(io.BytesIO(_file(clinic.protect(ct, key)))), key)
    assert restored.PixelData == ct.PixelData
    assert restored == ct
    assert restored.file_meta.MediaStorageSOPInstanceUID == ct.SOPInstanceUID


def test_protect_leaves_its_input_unchanged(ct):
    before = copy.deepcopy(ct)
    clinic.protect(ct, clinic.keygen())
    assert ct == before and ct.file_meta.MediaStorageSOPInstanceUID == before.file_meta.MediaStorageSOPInstanceUID


def test_a_wrong_key_or_an_altered_file_is_rejected(ct):
    key = clinic.keygen()
    protected = clinic.protect(ct, key)
    with pytest.raises(AuthenticationError):
        clinic.unprotect(protected, clinic.keygen())
    for alter in (lambda d: setattr(d, "PixelData", bytes([d.PixelData[0] ^ 1]) + d.PixelData[1:]),
                  lambda d: setattr(d, "SOPInstanceUID", d.SOPInstanceUID + ".9"),
                  lambda d: setattr(d, "Rows", 64),
                  lambda d: setattr(d.EncryptedAttributesSequence[0], "EncryptedContent",
                                    d.EncryptedAttributesSequence[0].EncryptedContent[:-1] + b"\x00")):
        altered = copy.deepcopy(protected)
        alter(altered)
        with pytest.raises(AuthenticationError):
            clinic.unprotect(altered, key)


def test_check_protection_reports_every_claim_true_on_the_bundled_files():
    for name in ("CT_small.dcm", "MR_small.dcm"):
        row = clinic.check_protection(name, clinic.keygen(), clinic.keygen())
        assert all(row[k] for k in ("valid_dicom", "pixels_exact", "attributes_exact", "wrong_key_rejected",
                                    "flipped_pixel_rejected", "changed_uid_rejected", "swapped_pixels_rejected"))
        assert all("kept in the clear" in hit for hit in row["identity_in_file"])


def test_protect_and_unprotect_refuse_what_they_cannot_handle(ct):
    compressed = pydicom.dcmread(data.dicom_sample("MR_small_RLE.dcm"))
    with pytest.raises(ValueError, match="decompress"):
        clinic.protect(compressed, clinic.keygen())
    with pytest.raises(ValueError, match="32 bytes"):
        clinic.protect(ct, b"short")
    with pytest.raises(ValueError, match="not made by medcrypt.clinic.protect"):
        clinic.unprotect(ct, clinic.keygen())


def test_exposure_sorts_every_attribute(ct):
    protected = clinic.protect(ct, clinic.keygen())
    seen = clinic.exposure(ct, protected)
    assert "PatientName" in seen.replaced and "OtherPatientIDsSequence" in seen.removed
    assert "Modality" in seen.in_clear
    assert "AccessionNumber" not in seen.in_clear  # empty in this file, so listed as empty, not as readable
    assert len(seen.encrypted) + len(seen.in_clear) + len(seen.empty) == len([e for e in ct if e.tag != 0x7FE00010])


# ------------------------------------------------------------------ the chapter's sentences

def test_critical_value_sentence_shows_the_8_bit_threshold_is_too_lax():
    text = prose.critical_value_sentence(128 * 128, "128×128", 0.05)
    assert "16,384" in text and "would pass where it should fail" in text


def test_flag_changes_sentence_branches():
    same = {"a": {"NIST": False}, "b": {"NIST": True}}
    assert prose.flag_changes_sentence(same, same).startswith("Every test")
    changed = prose.flag_changes_sentence(same, {"a": {"NIST": True}, "b": {"NIST": True}})
    assert "change at 16 bits for a (NIST passes at 8 bits, flags at 16)" in changed and "same for b" in changed


def test_ecb_sentence_branches():
    text = prose.ecb_sentence({"x": 0.0, "y": 0.25}, {"x": 0.0, "y": 0.25})
    assert "no two blocks" in text and "outline shows" in text and "equal blocks to equal blocks" in text


def test_protection_sentence_reports_leaks():
    ok = {"pixels_exact": True, "attributes_exact": True, "wrong_key_rejected": True, "flipped_pixel_rejected": True,
          "changed_uid_rejected": True, "swapped_pixels_rejected": True, "identity_in_file": [], "file": "a"}
    assert "No original identifying value" in prose.protection_sentence([ok])
    leaky = {**ok, "identity_in_file": ["PatientID"], "file": "b"}
    assert "b: PatientID" in prose.protection_sentence([ok, leaky])
    kept = {**ok, "identity_in_file": ["InstitutionName (within Manufacturer, kept in the clear)"], "file": "c"}
    explained = prose.protection_sentence([ok, kept])
    assert "can still be found" not in explained and "except where an attribute kept in the clear" in explained
    assert "In 1 file (c: InstitutionName (within Manufacturer" in explained and "not the removed attribute" in explained
    both = prose.protection_sentence([leaky, kept])
    assert "b: PatientID" in both and "c: InstitutionName" in both and "except where" not in both


def test_word_figures_show_every_pixel():
    from medcrypt import plots

    x = words((2, 16, 16), seed=5)
    fig = plots.word_histograms({"words": x})
    assert sum(bar.get_height() for bar in fig.axes[0].patches) == x.size
    grid = plots.word_grid({"plain": {"a": x[0], "b": x[1][:8]}})
    assert len(grid.axes) == 2 and grid.axes[1].images[0].get_array().shape == (8, 16)


def test_trials_shrink_on_large_images_but_never_below_the_minimum():
    assert clinic.trials_for(64 * 64, 32) == 32
    assert clinic.trials_for(512 * 512, 32) == clinic.MIN_TRIALS
    assert clinic.trials_for(300 * 484, 32) == clinic.TRIAL_WORDS // (300 * 484)


def test_a_compressed_file_with_group_lengths_is_decompressed_first_and_restored_exactly():
    row = clinic.check_protection(data.read_dicom("693_J2KI.dcm").header, clinic.keygen(), clinic.keygen())
    assert row["decompressed_first"] and row["pixels_exact"] and row["attributes_exact"]


def test_identity_table_has_one_row_per_source():
    table = clinic.identity_table({"CT_small.dcm": data.read_dicom("CT_small.dcm")})
    assert list(table.columns) == list(clinic.IDENTIFYING)
    assert table.loc["CT_small.dcm", "PatientName"] == "CompressedSamples^CT1"
    assert table.loc["CT_small.dcm", "PatientBirthDate"] == "(empty)"


def test_metric_tables_split_by_image_set_with_fixed_decimals_and_no_exponent():
    def row(cipher, images, levels, mb_s, npcr):
        return {"cipher": cipher, "images": images, "cipher_levels": levels, "pixels_per_image": 784,
                "n_trials": 8, "entropy_per_image": 7.7386, "entropy_expected_per_image": 7.7437,
                "entropy_ideal": np.log2(levels), "chi2_p_pooled": 0.0000001, "corr_h_pooled": 0.1276,
                "npcr": npcr, "npcr_pass_rate": 0.75, "uaci": 0.3346, "uaci_pass_rate": 1.0,
                "key_npcr": float("nan"), "bit_exact_rate": 1.0, "encrypt_mb_per_s": mb_s}

    rows = [row("aes-ctr", "8-bit", 256, 11750.3, 0.9961), row("identity", "8-bit", 256, 2.034, 0.0),
            row("aes-ctr", "CT", 65536, 0.5, 0.99998)]
    tables = clinic.metric_tables(rows)
    assert len(tables) == 2  # one per image set, in the order the rows came
    first, second = (t.data for t in tables)
    assert list(first.index) == ["aes-ctr", "identity"] and list(second.index) == ["aes-ctr"]  # a name on every row
    assert "L = 256 levels" in tables[0].caption and "L = 65,536 levels" in tables[1].caption
    assert first.loc["aes-ctr", "Encrypt MB/s"] == "11,750.3" and first.loc["identity", "Encrypt MB/s"] == "2.0"
    assert first.loc["aes-ctr", "NPCR %"] == "99.6100" and first.loc["identity", "NPCR %"] == "0.0000"
    assert first.loc["aes-ctr", "χ² p (pooled)"] == "< 0.0001" and first.loc["aes-ctr", "Key NPCR %"] == "–"
    assert not any("e+" in v or "e-" in v for t in (first, second) for v in t.to_numpy().ravel())
    assert "L" not in first.columns and "Pixels" not in first.columns  # per-set values live in the caption


def test_flag_comparison_marks_changes_and_leaves_out_what_one_image_cannot_decide():
    flags8 = {"a": {"pooled": False, "npcr": True}, "b": {"pooled": True, "npcr": False}}
    flags16 = {"a": {"pooled": None, "npcr": False}, "b": {"pooled": None, "npcr": False}}
    assert clinic.undecided_tests(flags16) == ["pooled"]
    table = clinic.flag_comparison(flags8, flags16)
    assert list(table.columns) == ["npcr"]
    assert table.loc["a", "npcr"] == "flags → passes" and table.loc["b", "npcr"] == "passes"
    flags16["b"]["pooled"] = True  # decided for one cipher: the column stays
    assert clinic.undecided_tests(flags16) == [] and table.shape[1] < clinic.flag_comparison(flags8, flags16).shape[1]
