import hashlib
import shutil
import warnings
from urllib.error import URLError

import numpy as np
import pytest

from medcrypt import data


def test_root_resolution_order(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDMNIST_ROOT", str(tmp_path / "env"))
    assert data.resolve_root(tmp_path / "arg") == tmp_path / "arg"
    assert data.resolve_root() == tmp_path / "env"
    monkeypatch.delenv("MEDMNIST_ROOT")
    assert data.resolve_root() == data.DEFAULT_ROOT


def test_file_names_follow_medmnist():
    assert data.file_name("pneumoniamnist") == "pneumoniamnist.npz"
    assert data.file_name("pathmnist", 224) == "pathmnist_224.npz"
    url, md5 = data.official_url_md5("breastmnist", 64)
    assert "breastmnist_64.npz" in url and len(md5) == 32


def test_loads_the_offline_copies_as_uint8_with_flat_labels(shared_root):
    with data.accepting_subsets():
        pneumonia = data.load("pneumoniamnist", "test", root=shared_root)
        breast = data.load("breastmnist", "val", root=shared_root)  # labels stored as (N,), official is (N, 1)
    assert pneumonia.images.dtype == np.uint8 and pneumonia.images.shape == (624, 28, 28)
    assert pneumonia.labels.shape == (624,) and set(np.unique(pneumonia.labels)) == {0, 1}
    assert breast.images.shape == (78, 28, 28) and breast.labels.shape == (78,)
    assert pneumonia.label_names == {"0": "normal", "1": "pneumonia"}


def test_a_local_file_with_another_checksum_is_used_with_a_warning(shared_root):
    with pytest.warns(data.OfflineCopyWarning, match="not the official 28209eda62fecd6e6a2d98b1501bb15f"):
        data.load("pneumoniamnist", "val", root=shared_root, limit=10)


def test_a_subset_split_warns_with_the_official_count(shared_root):
    with pytest.warns(data.OfflineCopyWarning) as caught:
        data.load("pneumoniamnist", "train", root=shared_root)
    assert any("instead of the official 4708" in str(w.message) for w in caught)


def test_limit_keeps_the_first_images(shared_root):
    with data.accepting_subsets():
        full = data.load("pneumoniamnist", "test", root=shared_root)
        part = data.load("pneumoniamnist", "test", root=shared_root, limit=5)
    assert np.array_equal(part.images, full.images[:5]) and len(part) == 5


def test_offline_missing_file_raises_one_clear_error(tmp_path, monkeypatch):
    def no_network(url, folder, filename, md5):
        raise URLError("no route to host")

    monkeypatch.setattr(data, "_download", no_network)
    with pytest.raises(data.MedMNISTNotFound) as info:
        data.load("breastmnist", "test", size=128, root=tmp_path)
    message = str(info.value)
    url, md5 = data.official_url_md5("breastmnist", 128)
    assert "breastmnist_128.npz" in message and url in message and str(tmp_path) in message and md5 in message
    assert "URLError" in message


def test_download_false_never_touches_the_network(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_download", lambda *a: pytest.fail("must not download"))
    with pytest.raises(data.MedMNISTNotFound, match="download=False"):
        data.load("pneumoniamnist", root=tmp_path, download=False)


def _fake_npz(path, size, channels, n=6):
    rng = np.random.default_rng(0)
    shape = (n, size, size) + ((channels,) if channels > 1 else ())
    arrays = {f"{s}_images": rng.integers(0, 256, shape, dtype=np.uint8) for s in data.SPLITS}
    arrays.update({f"{s}_labels": rng.integers(0, 9, (n, 1)) for s in data.SPLITS})
    np.savez(path, **arrays)
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("flag, size, channels", [("pathmnist", 64, 3), ("breastmnist", 224, 1)])
def test_downloaded_files_of_any_size_load_after_the_md5_check(tmp_path, monkeypatch, flag, size, channels):
    source = tmp_path / "served.npz"
    md5 = _fake_npz(source, size, channels)
    monkeypatch.setattr(data, "official_url_md5", lambda f, s: (f"https://example.invalid/{f}_{s}.npz", md5))
    monkeypatch.setattr(data, "_download", lambda url, folder, name, m: shutil.copy(source, folder / name))
    with data.accepting_subsets():  # the fake has fewer images than the official split
        split = data.load(flag, "test", size=size, root=tmp_path / "cache")
    expected = (6, size, size, 3) if channels == 3 else (6, size, size)
    assert split.images.shape == expected and split.images.dtype == np.uint8 and split.labels.shape == (6,)


def test_a_download_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    source = tmp_path / "served.npz"
    _fake_npz(source, 28, 1)
    monkeypatch.setattr(data, "_download", lambda url, folder, name, m: shutil.copy(source, folder / name))
    with pytest.raises(data.MedMNISTNotFound, match="MD5"):
        data.load("breastmnist", root=tmp_path / "cache")


@pytest.mark.parametrize("kwargs, fragment", [
    ({"flag": "notamnist"}, "unknown MedMNIST flag"),
    ({"flag": "organmnist3d"}, "3D volume"),
    ({"size": 32}, "size must be one of"),
    ({"split": "training"}, "split must be one of"),
])
def test_bad_arguments_raise_value_errors(tmp_path, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        data.load(**{"flag": "pneumoniamnist", "root": tmp_path, "download": False, **kwargs})


def test_sample_medical_images_are_large_uint8_and_whole_aes_blocks():
    samples = data.sample_medical_images()
    assert len(samples) == 2
    for image in samples.values():
        assert image.dtype == np.uint8 and image.ndim == 2 and min(image.shape) >= 400
        assert image.size % 16 == 0
        assert (image == image.min()).mean() > 0.1  # large uniform regions, where ECB leaks


def test_subset_samples_at_random_and_reproducibly(shared_root):
    with data.accepting_subsets():
        full = data.load("pneumoniamnist", "train", root=shared_root)
    part = full.subset(640, seed=1)
    assert len(part) == 640 and part.images.dtype == np.uint8
    assert set(np.unique(part.labels)) == {0, 1}  # the file's first 640 images are all one class
    assert np.array_equal(part.images, full.subset(640, seed=1).images)
    assert full.subset(None) is full and full.subset(10**6) is full


def test_train_and_tests_gives_a_seeded_training_subset_and_every_test_split(shared_root):
    from medcrypt import data

    train, tests = data.train_and_tests(["pneumoniamnist", "breastmnist"], n_train=50, n_test=20, seed=3,
                                        root=shared_root)
    again, _ = data.train_and_tests(["pneumoniamnist"], n_train=50, n_test=5, seed=3, root=shared_root)
    assert train.shape == (50, 28, 28) and train.dtype == np.uint8 and np.array_equal(train, again)
    assert set(tests) == {"pneumoniamnist", "breastmnist"} and all(len(t) == 20 for t in tests.values())


def test_accepting_subsets_silences_only_the_offline_copy_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with data.accepting_subsets():
            warnings.warn("a subset", data.OfflineCopyWarning)
            warnings.warn("something else", DeprecationWarning)
    assert [type(w.message) for w in caught] == [DeprecationWarning]


def test_train_and_tests_lets_other_warnings_through(shared_root, monkeypatch):
    load = data.load

    def noisy_load(*args, **kwargs):
        warnings.warn("unexpected", RuntimeWarning)
        return load(*args, **kwargs)

    monkeypatch.setattr(data, "load", noisy_load)
    with pytest.warns(RuntimeWarning, match="unexpected"):
        data.train_and_tests(["pneumoniamnist"], n_train=10, n_test=5, root=shared_root)
