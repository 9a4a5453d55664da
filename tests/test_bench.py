"""The benchmark's report: its shape, its ceiling ratio and what it checks besides speed (never a timing)."""

import json

import numpy as np

from medcrypt import bench


def test_report_has_the_shape_other_tools_read(tmp_path):
    report = bench.run(n_images=24, sizes=(28, 5), names=["aes-ctr", "aes-ecb", "inn-coupling"], repeats=1)
    assert report["ceiling_mb_per_s"] == report["ceiling_by_size"]["28"] > 0
    assert report["device"] and report["versions"]["numpy"]
    for name in ("aes-ctr", "aes-ecb", "inn-coupling"):
        entry = report["ciphers"][name]
        assert entry["size"] == 28
        for key in ("encrypt_images_per_s", "decrypt_images_per_s", "encrypt_mb_per_s", "decrypt_mb_per_s"):
            assert entry[key] > 0, (name, key)
        assert entry["ratio_to_ceiling"] == entry["encrypt_mb_per_s"] / report["ceiling_mb_per_s"]
        assert entry["at_size"]["28"]["encrypt_mb_per_s"] == entry["encrypt_mb_per_s"]
    # AES-ECB needs whole 16-byte blocks: a 5 x 5 image is refused, and the report says why
    assert "multiple of 16 bytes" in report["ciphers"]["aes-ecb"]["at_size"]["5"]["error"]
    json.dumps(report)  # plain JSON, as `make bench` writes it


def test_the_integer_coupling_is_exact_in_float32_and_in_the_float64_variant_beside_it():
    report = bench.run(n_images=64, sizes=(28,), names=["inn-coupling"], repeats=1)
    assert report["ciphers"]["inn-coupling"]["exact_round_trip_share"] == 1.0
    variant = report["variants"]["inn-coupling (float64)"]
    assert variant["of"] == "inn-coupling" and variant["exact_round_trip_share"] == 1.0
    assert variant["encrypt_images_per_s"] > 0


def test_multiply_adds_count_the_coupling_networks_layer_by_layer():
    from medcrypt import zoo

    cipher = zoo.build("inn-coupling", (28, 28), seed=0)
    pixels, width, key_bits = 28 * 28, 16, 128
    per_layer = pixels * 2 * width * 9 + width * key_bits + pixels * width * width * 9 + pixels * width * 9
    images = np.zeros((4, 28, 28), dtype=np.uint8)
    assert bench.multiply_adds(cipher, images) == cipher.layers * per_layer
    assert bench.multiply_adds(zoo.build("aes-ctr", (28, 28)), images) is None  # no network


def test_the_ceiling_is_a_rate_of_the_library_cipher():
    assert bench.ceiling_mb_per_s(1 << 16, repeats=2) > 0


def test_with_ceiling_adds_each_ciphers_share_of_the_ceiling():
    rates = {"a": {"encrypt_mb_per_s": 10.0, "decrypt_mb_per_s": 5.0}}
    shared, ceiling = bench.with_ceiling(rates, 1 << 16)
    assert ceiling > 0 and shared["a"]["ratio_to_ceiling"] == 10.0 / ceiling
    assert "ratio_to_ceiling" not in rates["a"]  # the caller's rates are left alone


def test_speed_table_shows_every_cipher_and_the_ceiling_in_readable_units():
    rates = {"aes-ctr": {"encrypt_images_per_s": 5e6, "decrypt_images_per_s": 4e6, "encrypt_mb_per_s": 3920.0,
                         "decrypt_mb_per_s": 3136.0, "ratio_to_ceiling": 0.7},
             "slow": {"encrypt_images_per_s": 100.0, "decrypt_images_per_s": 90.0, "encrypt_mb_per_s": 0.0784,
                      "decrypt_mb_per_s": 0.07, "ratio_to_ceiling": 0.000014}}
    table = bench.speed_table(rates, 5600.0, 784)
    assert list(table.index) == ["aes-ctr", "slow", bench.CEILING_ROW]
    assert table.loc["aes-ctr", "Share of the ceiling (encrypt)"] == "70.0%"
    assert table.loc[bench.CEILING_ROW, "Encrypt images/s"] == f"{5600e6 / 784:,.0f}"
    assert table.loc["slow", "Encrypt MB/s"] == "0.078" and table.loc["slow", "Encrypt images/s"] == "100"
    assert table.loc["slow", "Share of the ceiling (encrypt)"] == "< 0.1%"
