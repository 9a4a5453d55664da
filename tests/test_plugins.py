"""Ciphers from outside the package: an installed package's entry point, or a ``module:Class`` path."""

import subprocess
import sys
import textwrap

import pytest

from medcrypt.ciphers import base, plugins
from medcrypt.ciphers.plugins import PluginError, load_class, load_entry_points

TINY = textwrap.dedent('''
    """A tiny outside cipher: XOR with a repeated 4-byte key (insecure on purpose)."""
    import numpy as np

    from medcrypt.ciphers import check_images, check_key, flip_key_bit


    class TinyXOR:
        name, family, lossless, key_bits = "tiny-xor", "baseline", True, 32

        def keygen(self, seed=None):
            return bytes(np.random.default_rng(seed).integers(0, 256, 4, dtype=np.uint8))

        def encrypt(self, images, key):
            images = check_images(images, self.name)
            pad = np.resize(np.frombuffer(check_key(key, 4, self.name), np.uint8), images[0].size)
            return images ^ pad.reshape(images.shape[1:])

        decrypt = encrypt

        def flip_key_bit(self, key, bit):
            return flip_key_bit(key, bit)


    not_a_class = 42
''')


def install(root, entry_point="tiny-xor = tinycipher:TinyXOR"):
    """A package ``tinycipher`` and its distribution metadata, as pip would leave them in ``root``."""
    (root / "tinycipher").mkdir(parents=True)
    (root / "tinycipher" / "__init__.py").write_text(TINY)
    info = root / "tinycipher-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinycipher\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[medcrypt.ciphers]\n{entry_point}\n")
    return root


def run_with(root, code):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    return done


def test_an_installed_plugin_reaches_the_registry_and_chapter_7s_roster(tmp_path):
    root = install(tmp_path / "site")
    (tmp_path / "results").mkdir()
    run_with(root, textwrap.dedent(f'''
        import numpy as np
        from medcrypt import zoo
        from medcrypt.book import compare
        from medcrypt.ciphers import available
        from medcrypt.ciphers.base import trains
        assert "tiny-xor" in available() and "aes-ctr" in available()
        images = np.random.default_rng(0).integers(0, 256, (4, 8, 8), np.uint8)
        ready = zoo.ready_all(weights_dir={str(tmp_path / "weights")!r}, results_dir={str(tmp_path / "results")!r},
                              train_images=images, names=[n for n in available() if not trains(n)])
        cipher, source = ready["tiny-xor"]
        assert source == "no training" and compare.learned_ciphers(["tiny-xor"]) == []
        key = cipher.keygen(0)
        assert np.array_equal(cipher.decrypt(cipher.encrypt(images, key), key), images)
    '''))


def test_a_broken_plugin_is_skipped_with_a_warning_naming_it(tmp_path):
    root = install(tmp_path / "site", "tiny-broken = tinycipher:Missing")
    done = run_with(root, "import warnings; warnings.simplefilter('always')\n"
                          "from medcrypt.ciphers import available; assert 'aes-ctr' in available()")
    assert "cipher plugin 'tiny-broken'" in done.stderr and "skipped" in done.stderr


def test_load_entry_points_registers_what_a_stubbed_group_declares(tmp_path, monkeypatch):
    install(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))
    from importlib import metadata

    point = metadata.EntryPoint("tiny-xor", "tinycipher:TinyXOR", plugins.GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group=plugins.GROUP: [point])
    assert load_entry_points() == ["tiny-xor"]
    assert base.factory("tiny-xor").__name__ == "TinyXOR"
    assert load_entry_points() == ["tiny-xor"]  # loading again (a rerun) replaces it without an error


@pytest.mark.parametrize("spec, message", [
    ("no-colon", "must look like package.module:Class"),
    (":Class", "must look like"),
    ("module:", "must look like"),
    ("surely_not_a_module_xyz:Cipher", "cannot import module 'surely_not_a_module_xyz'"),
    ("medcrypt.ciphers.aes:NoSuchCipher", "has no attribute 'NoSuchCipher'"),
    ("medcrypt.ciphers.aes:KEY_BYTES", "is a int, not a class"),
    ("missing/file.py:Cipher", "no such file"),
])
def test_load_class_explains_every_failure_in_one_line(spec, message):
    with pytest.raises(PluginError, match=message) as info:
        load_class(spec)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


def test_load_class_reads_a_module_path_and_a_file_path(tmp_path):
    assert load_class("medcrypt.ciphers.aes:AESCTR").name == "aes-ctr"
    (tmp_path / "mine.py").write_text(TINY)
    assert load_class(f"{tmp_path / 'mine.py'}:TinyXOR").name == "tiny-xor"
    with pytest.raises(PluginError, match="not a class"):
        load_class(f"{tmp_path / 'mine.py'}:not_a_class")
    (tmp_path / "broken.py").write_text("raise RuntimeError('boom')\n")
    with pytest.raises(PluginError, match="importing .*broken.py failed: RuntimeError: boom"):
        load_class(f"{tmp_path / 'broken.py'}:Anything")
