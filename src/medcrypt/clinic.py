"""From MedMNIST to the clinic (chapter 10): 16-bit DICOM images, which ciphers take them, and DICOM-aware protection.

Three things change between a 28×28 MedMNIST image and a clinical one:

* **bit depth**: CT and MR pixels are 12 to 16 bits, stored in 16-bit words. The byte-oriented
  ciphers (AES modes, the chaotic baselines) encrypt the words' bytes
  (:func:`medcrypt.ciphers.base.takes_16_bit`); the learned ciphers take 8-bit images only and
  refuse 16-bit data with a ``ValueError`` (:func:`support_table` asks each one);
* **resolution**: 128 to 512 pixels a side, where a dense learned layer grows with the square
  of the pixel count;
* **the header**: a DICOM file names the patient. :func:`protect` de-identifies it with the
  Basic Application Level Confidentiality Profile of DICOM PS3.15 (Annex E, Table E.1-1), as
  implemented by the maintained ``dicom-anonymizer`` package (KitwareMedical), keeps every
  attribute it changed or removed only inside an AES-256-GCM envelope in the Encrypted
  Attributes Sequence (0400,0500), and encrypts the pixel data with AES-256-GCM bound to the
  instance's UIDs and image geometry as associated data. :func:`unprotect` restores both
  exactly, or raises :class:`~medcrypt.ciphers.base.AuthenticationError`.

**Deviation from the standard, stated.** PS3.15 §E.1.1 wraps the Encrypted Content in a CMS
EnvelopedData addressed to a recipient's certificate. Here it is a bare AES-256-GCM message
(nonce ‖ ciphertext ‖ tag) under a shared key, so the file reads in any DICOM toolkit, but only
this module, or code that follows its format, restores the originals.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import formatting
from .ciphers.base import AuthenticationError, bit_depths, bytes_as_words, is_learned, words_as_bytes

#: The edition of PS3.15 Table E.1-1 that dicom-anonymizer applies (its newest database).
PROFILE_TABLE = "dicomfields_2026c"
PROFILE_CODE = ("113100", "DCM", "Basic Application Confidentiality Profile")  # PS3.16 CID 7050
PRIVATE_GROUP = 0x0099
PRIVATE_CREATOR = "medcrypt AES-GCM 1"
NONCE_BYTES, TAG_BYTES, KEY_BYTES = 12, 16, 32
#: Attributes bound into the pixel data's authentication tag, as the protected file carries them.
BOUND_ATTRIBUTES = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "Rows", "Columns", "BitsAllocated",
                    "SamplesPerPixel", "NumberOfFrames", "PixelRepresentation")
_ADDED = (PRIVATE_GROUP, 0x1003)  # inside the encrypted payload: the tags that protect() added
_GROUP_LENGTHS = (PRIVATE_GROUP, 0x1004)  # ... and the original's group lengths, as (group, value) pairs


# ------------------------------------------------------------------ which ciphers move

def support_table(native_shape: tuple[int, int], names: list[str] | None = None, seed: int = 0):
    """For every registered cipher: does it take 16-bit words, and does its architecture run at ``native_shape``?

    Each cipher is asked, not looked up: it is built at the native shape (learned ones untrained,
    which is enough to see whether the architecture runs) and given one 16-bit and one 8-bit
    image. A lossless cipher must return the 16-bit image bit for bit. The parameter counts at
    28×28 and at the native shape show what a dense layer costs at clinical resolution.
    """
    import pandas as pd

    from . import zoo
    from .ciphers import available
    from .metrics import parameter_count

    rng = np.random.default_rng(seed)
    words = rng.integers(0, 2**16, (1, *native_shape), dtype=np.uint16)
    octets = rng.integers(0, 256, (1, *native_shape), dtype=np.uint8)
    rows = []
    for name in names or available():
        cipher = zoo.build(name, native_shape, seed)
        key = cipher.keygen(seed)
        row = {"cipher": name, "family": cipher.family, "learned": is_learned(name),
               "declared_bit_depths": "/".join(map(str, bit_depths(cipher)))}
        try:
            back = cipher.decrypt(cipher.encrypt(words, key), key)
            row["takes_16_bit"] = True
            row["lossless_16_bit"] = bool(np.array_equal(np.asarray(back), words))
            row["refusal"] = ""
        except ValueError as exc:
            row.update(takes_16_bit=False, lossless_16_bit=None, refusal=str(exc).split(";")[0].split(" (")[0])
        try:
            cipher.encrypt(octets, key)
            row["runs_at_native_size"] = True
        except ValueError as exc:
            row["runs_at_native_size"] = False
            row["refusal"] = row["refusal"] or str(exc)
        row["parameters_28"] = parameter_count(zoo.build(name, (28, 28), seed)) if row["learned"] else 0
        row["parameters_native"] = parameter_count(cipher)
        rows.append(row)
    frame = pd.DataFrame(rows)
    unsupported = [n for n, d, t in zip(frame["cipher"], frame["declared_bit_depths"], frame["takes_16_bit"])
                   if ("16" in d) != t]
    if unsupported:  # a cipher that says one thing and does another is a bug, not a table entry
        raise AssertionError(f"bit_depths disagrees with what the cipher does: {', '.join(unsupported)}")
    return frame


#: Words encrypted per test at most: fewer trials on a large image, so that a 512×512 CT costs what a small one does.
TRIAL_WORDS = 2**20
MIN_TRIALS = 4


def trials_for(words_per_image: int, repeats: int) -> int:
    """Trials of the differential and key tests on an image: ``repeats``, fewer where the image is large."""
    return int(max(MIN_TRIALS, min(repeats, TRIAL_WORDS // words_per_image)))


def evaluate_native(cipher, image, key, *, repeats: int, seed: int = 0, profile: str = "") -> dict:
    """The metric suite on one DICOM image's 16-bit words, at L = 2**BitsAllocated and native size.

    The statistics (histogram, correlation, NIST, fidelity) are those of one cipher image: a
    deterministic cipher encrypts copies of an image to identical copies, and pooling them
    would count one sample many times. The differential and key-sensitivity tests run
    ``repeats`` trials (``n_trials``; fewer on a large image, :func:`trials_for`), each with its
    own changed pixel or flipped key bit, on copies of the image.
    """
    from . import metrics

    row = metrics.evaluate(cipher, image.words[:1], key, dataset=image.name, profile=profile, seed=seed,
                           levels=image.levels)
    rng = np.random.default_rng(seed)
    repeats = trials_for(int(np.prod(image.words.shape[1:])), repeats)
    batch = np.repeat(image.words[:1], repeats, axis=0)
    diff = metrics.plaintext_sensitivity(cipher, batch, key, rng, image.levels)
    row.update({"n_trials": repeats, "npcr": diff.npcr.pooled, "uaci": diff.uaci.pooled,
                "npcr_pass_rate": diff.npcr_pass_rate(), "uaci_pass_rate": diff.uaci_pass_rate()})
    if cipher.key_bits:
        keys = [metrics.neighbour_key(cipher, key, rng) for _ in range(repeats)]
        encrypted = np.asarray(cipher.encrypt(batch, key))  # one call: copies of the image, each its own nonce
        other = np.concatenate([np.asarray(cipher.encrypt(image.words[:1], k)) for k in keys])
        ks = metrics.npcr_uaci(encrypted, other)
        row.update({"key_npcr": ks.npcr.pooled, "key_uaci": ks.uaci.pooled,
                    "key_npcr_pass_rate": ks.npcr_pass_rate(), "key_uaci_pass_rate": ks.uaci_pass_rate()})
    row.update(bits_stored=image.bits_stored, bits_allocated=image.bits_allocated, height=int(batch.shape[1]),
               width=int(batch.shape[2]))
    return row


def chosen_plaintext_on_words(cipher, key, words: np.ndarray) -> tuple[bool, int] | None:
    """Chapter 2's chosen-plaintext attack on a cipher's 16-bit mode, seen as what it is: a cipher of bytes.

    Returns (whether the equivalent key decrypts ``words`` bit for bit, chosen images used), or
    None when the cipher is not of the attack's form M·P·p + b.
    """
    from .attacks.chosen_plaintext import AttackFailed, chosen_plaintext_attack

    shape = words.shape[1:]

    def encrypt_bytes(probes: np.ndarray) -> np.ndarray:
        return words_as_bytes(np.asarray(cipher.encrypt(bytes_as_words(probes, (len(probes), *shape)), key)))

    try:
        equivalent, used = chosen_plaintext_attack(encrypt_bytes, (*shape, 2))
    except AttackFailed:
        return None
    cipher_bytes = words_as_bytes(np.asarray(cipher.encrypt(words, key)))
    recovered = bytes_as_words(equivalent.decrypt(cipher_bytes), words.shape)
    return bool(np.array_equal(recovered, words)), used


# ------------------------------------------------------------------ DICOM-aware protection

def keygen() -> bytes:
    """A fresh 256-bit key for :func:`protect` (from the operating system's generator)."""
    return os.urandom(KEY_BYTES)


def _check_key(key) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError(f"the key must be {KEY_BYTES} bytes (AES-256); make one with medcrypt.clinic.keygen()")
    return bytes(key)


def _field(value) -> bytes:
    text = "" if value is None else str(value)
    data = text.encode()
    return len(data).to_bytes(4, "big") + data


def associated_data(dataset, purpose: str) -> bytes:
    """The bytes bound into a tag: ``purpose`` and :data:`BOUND_ATTRIBUTES` as the protected file holds them.

    Length-prefixed, so no set of values can imitate another. Changing any of them (another
    instance's UIDs, a different geometry) makes authentication fail.
    """
    parts = [b"medcrypt-dicom-v1", _field(purpose), _field(dataset.file_meta.TransferSyntaxUID)]
    parts += [_field(dataset.get(keyword)) for keyword in BOUND_ATTRIBUTES]
    return b"".join(parts)


def _deidentify(dataset) -> None:
    """Apply PS3.15 Table E.1-1 (dicom-anonymizer), deleting private attributes, in place."""
    from dicomanonymizer import simpledicomanonymizer as anonymizer

    # dicom-anonymizer keeps an old-UID -> new-UID map in a module-level dict, so that one study keeps one
    # new UID; emptied before and after, so that no original UID outlives the call in memory.
    anonymizer.dictionary.clear()
    with contextlib.redirect_stdout(io.StringIO()):  # it prints, rather than raises, on unreadable tags
        anonymizer.anonymize_dataset(dataset, None, True, lambda: anonymizer.initialize_actions(PROFILE_TABLE))
    anonymizer.dictionary.clear()


def _serialise(dataset) -> bytes:
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_dataset

    buffer = DicomBytesIO()
    buffer.is_little_endian, buffer.is_implicit_VR = True, False
    write_dataset(buffer, dataset)
    return buffer.getvalue()


def _deserialise(data: bytes):
    from pydicom.filereader import read_dataset

    return read_dataset(io.BytesIO(data), is_implicit_VR=False, is_little_endian=True)


def _native(dataset) -> None:
    if dataset.file_meta.TransferSyntaxUID.is_compressed:
        raise ValueError(f"the pixel data is compressed ({dataset.file_meta.TransferSyntaxUID.name}); protect() "
                         "encrypts native pixel data: decompress first with dataset.decompress()")


def _read(source):
    import pydicom

    from .data import read_dicom

    if isinstance(source, pydicom.Dataset):
        return copy.deepcopy(source)
    return copy.deepcopy(read_dicom(source).header)


def protect(source, key: bytes):
    """De-identify a DICOM image and encrypt its pixel data; returns a new ``pydicom.Dataset``.

    ``source`` is a ``pydicom.Dataset``, a path, or a bundled sample's name. The result:

    * the header de-identified by PS3.15's Basic Profile (:func:`_deidentify`), marked with
      Patient Identity Removed = YES and the profile's code (113100);
    * every attribute that changed or went, in its original form, only inside the Encrypted
      Attributes Sequence, sealed with AES-256-GCM;
    * the pixel data AES-256-GCM ciphertext of the same length, with Bits Stored and High Bit
      widened to Bits Allocated (a cipher word uses every bit), bound to the new UIDs and the
      geometry; its nonce and tag in a private block of group 0099.

    The input is not changed.
    """
    from pydicom.dataset import Dataset
    from pydicom.uid import ExplicitVRLittleEndian
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(_check_key(key))
    original = _read(source)
    _native(original)
    if "PixelData" not in original:
        raise ValueError("protect() needs an image: the dataset has no Pixel Data")
    protected = copy.deepcopy(original)
    # Retired group lengths (gggg,0000): pydicom drops them whenever it writes a dataset, the encrypted payload
    # included, so they travel in the payload as (group, value) pairs of one private element.
    group_lengths = [(e.tag.group, int(e.value)) for e in protected if e.tag.element == 0]
    for group, _ in group_lengths:
        del protected[(group, 0)]
    _deidentify(protected)
    protected.PatientIdentityRemoved = "YES"
    # LO values hold at most 64 characters each: one value per step.
    protected.DeidentificationMethod = ["PS3.15 E.1.1 Basic Profile (dicom-anonymizer)", f"Table E.1-1 {PROFILE_TABLE}",
                                        "pixel data AES-256-GCM (medcrypt)"]
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = PROFILE_CODE
    protected.DeidentificationMethodCodeSequence = [code]
    protected.BitsStored = int(protected.BitsAllocated)
    protected.HighBit = int(protected.BitsAllocated) - 1

    nonce = os.urandom(NONCE_BYTES)
    sealed = aead.encrypt(nonce, bytes(original.PixelData), associated_data(protected, "pixels"))
    protected.PixelData = sealed[:-TAG_BYTES]
    block = protected.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
    block.add_new(0x01, "OB", nonce)
    block.add_new(0x02, "OB", sealed[-TAG_BYTES:])

    # The originals of whatever changed or went (Pixel Data apart: it travels encrypted in place) ...
    changed = Dataset()
    for element in original:
        if element.tag != 0x7FE00010 and element.tag.element != 0 and (element.tag not in protected
                                                                        or protected[element.tag] != element):
            changed.add(copy.deepcopy(element))
    payload = Dataset()
    payload.ModifiedAttributesSequence = [changed]
    # ... and which tags are new, so that unprotect() can take them away again.
    added = [element.tag for element in protected if element.tag not in original]
    payload.add_new(_ADDED, "AT", added + [0x04000500])
    payload.add_new(_GROUP_LENGTHS, "UL", [number for pair in group_lengths for number in pair])
    item = Dataset()
    item.EncryptedContentTransferSyntaxUID = ExplicitVRLittleEndian
    attributes_nonce = os.urandom(NONCE_BYTES)
    item.EncryptedContent = attributes_nonce + aead.encrypt(attributes_nonce, _serialise(payload),
                                                            associated_data(protected, "attributes"))
    protected.EncryptedAttributesSequence = [item]
    return protected


def unprotect(protected, key: bytes):
    """The original dataset back from :func:`protect`'s output, exactly; :class:`AuthenticationError` otherwise.

    A wrong key, altered pixel data, an altered bound attribute (UIDs, geometry) or an altered
    Encrypted Content all fail authentication, and nothing is returned.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(_check_key(key))
    protected = copy.deepcopy(protected)
    try:
        block = protected.private_block(PRIVATE_GROUP, PRIVATE_CREATOR)
        nonce, tag = bytes(block[0x01].value), bytes(block[0x02].value)
        content = bytes(protected.EncryptedAttributesSequence[0].EncryptedContent)
    except (KeyError, AttributeError, IndexError) as exc:
        raise ValueError("this dataset was not made by medcrypt.clinic.protect(): it lacks the private block "
                         f"{PRIVATE_CREATOR!r} or the Encrypted Attributes Sequence") from exc
    try:
        pixels = aead.decrypt(nonce, bytes(protected.PixelData) + tag, associated_data(protected, "pixels"))
        payload = aead.decrypt(content[:NONCE_BYTES], content[NONCE_BYTES:], associated_data(protected, "attributes"))
    except InvalidTag:
        raise AuthenticationError("the DICOM file failed authentication: wrong key, or its pixel data, UIDs, "
                                  "geometry or encrypted attributes were altered") from None
    payload = _deserialise(payload)
    for tag_added in payload[_ADDED].value:
        if tag_added in protected:
            del protected[tag_added]
    for element in payload.ModifiedAttributesSequence[0]:
        protected.add(element)
    pairs = list(payload[_GROUP_LENGTHS].value) if _GROUP_LENGTHS in payload and payload[_GROUP_LENGTHS].VM else []
    for group, value in zip(pairs[::2], pairs[1::2]):
        protected.add_new((group, 0), "UL", value)
    protected.PixelData = pixels
    protected.file_meta.MediaStorageSOPInstanceUID = protected.SOPInstanceUID
    return protected


def save(dataset, path: str | os.PathLike) -> Path:
    """Write ``dataset`` as a DICOM Part 10 file (preamble, file meta) and return its path."""
    dataset.save_as(path, enforce_file_format=True)
    return Path(path)


@dataclass(frozen=True)
class Exposure:
    """What a reader without the key sees of a protected file, beside the original."""

    replaced: list[str]    # still present, with a dummy, empty or new-UID value
    removed: list[str]     # gone from the clear file
    in_clear: list[str]    # unchanged and readable, with a value (non-identifying under the profile)
    empty: list[str]       # unchanged because the original was already empty

    @property
    def encrypted(self) -> list[str]:
        """Attributes kept only in encrypted form (their original values): every replaced or removed one."""
        return sorted(self.replaced + self.removed)


def exposure(original, protected) -> Exposure:
    """Sort the original's top-level attributes by what :func:`protect` did to them."""
    def label(element) -> str:
        return element.keyword or f"private {element.tag}"

    replaced, removed, clear, empty = [], [], [], []
    for element in original:
        if element.tag == 0x7FE00010:
            continue
        if element.tag not in protected:
            removed.append(label(element))
        elif protected[element.tag] != element:
            replaced.append(label(element))
        elif element.value in (None, "", b"") or (element.VR == "SQ" and len(element.value) == 0):
            empty.append(label(element))
        else:
            clear.append(label(element))
    return Exposure(sorted(replaced), sorted(removed), sorted(clear), sorted(empty))


#: Header attributes that name or locate the patient, shown before and after protection.
IDENTIFYING = ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "InstitutionName", "StudyDate",
               "StudyInstanceUID", "SOPInstanceUID")


def _file_bytes(dataset) -> bytes:
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def _rejected(protected, key) -> bool:
    try:
        unprotect(protected, key)
    except AuthenticationError:
        return True
    return False


def identity_in_file(original, protected, raw: bytes) -> list[str]:
    """The :data:`IDENTIFYING` attributes whose original value (4 characters or more) occurs in ``raw``.

    A hit is explained where it can be: a value that an attribute left in the clear also holds
    (an institution named within the scanner's manufacturer) is reported with that attribute.
    Shorter values (a sex of "O") occur in any file by chance and are not searched for.
    """
    found = []
    for keyword in IDENTIFYING:
        value = str(original.get(keyword, "") or "")
        if len(value) < 4 or value.encode() not in raw:
            continue
        holders = [e.keyword for e in protected if e.keyword and e.keyword != keyword and value in str(e.value)]
        found.append(f"{keyword} (within {', '.join(holders)}, kept in the clear)" if holders else keyword)
    return found


def check_protection(source, key: bytes, other_key: bytes, seed: int = 0) -> dict:
    """Every claim :func:`protect` makes, tested on one file: one results row of yes/no answers and sizes.

    A compressed file is decompressed first (``decompressed_first``), since :func:`protect` encrypts
    native pixel data; "exactly" then means the decoded pixels. The protected dataset is written as a Part 10 file and read back with pydicom before it is
    unprotected, so the row is about the file, not an object in memory. Tampering: one pixel
    byte flipped, the SOP Instance UID changed, and the pixel data of another protection of
    the same image swapped in. ``identity_in_file`` lists the original identifying values
    (:data:`IDENTIFYING`) that can still be found in the file's bytes.
    """
    import time

    import pydicom

    rng = np.random.default_rng(seed)
    original = _read(source)
    decompressed = bool(original.file_meta.TransferSyntaxUID.is_compressed)
    if decompressed:  # protect() takes native pixel data: decode first, the way a user would
        original.decompress()
    start = time.perf_counter()
    protected = protect(original, key)
    protect_s = time.perf_counter() - start
    raw = _file_bytes(protected)
    reread = pydicom.dcmread(io.BytesIO(raw))
    start = time.perf_counter()
    restored = unprotect(reread, key)
    unprotect_s = time.perf_counter() - start

    flipped = copy.deepcopy(reread)
    pixels = bytearray(flipped.PixelData)
    pixels[int(rng.integers(len(pixels)))] ^= 0x01
    flipped.PixelData = bytes(pixels)
    renamed = copy.deepcopy(reread)
    renamed.SOPInstanceUID = renamed.SOPInstanceUID + ".1"
    swapped = copy.deepcopy(reread)
    swapped.PixelData = protect(original, key).PixelData  # same image, same key, another nonce

    leaked = identity_in_file(original, protected, raw)
    return {
        "file": "dataset" if hasattr(source, "PixelData") else Path(str(source)).name,
        "rows": int(original.Rows), "columns": int(original.Columns), "bits_allocated": int(original.BitsAllocated),
        "bits_stored": int(original.BitsStored), "file_bytes": len(raw), "decompressed_first": decompressed,
        "valid_dicom": reread.SOPInstanceUID == protected.SOPInstanceUID and reread.pixel_array.shape
        == original.pixel_array.shape,
        "pixels_changed": float(np.mean(np.frombuffer(bytes(reread.PixelData), np.uint8)
                                        != np.frombuffer(bytes(original.PixelData), np.uint8))),
        "pixels_exact": restored.PixelData == original.PixelData,
        "attributes_exact": restored == original,
        "media_uid_restored": restored.file_meta.MediaStorageSOPInstanceUID == original.SOPInstanceUID,
        "identity_in_file": leaked,
        "wrong_key_rejected": _rejected(reread, other_key),
        "flipped_pixel_rejected": _rejected(flipped, key),
        "changed_uid_rejected": _rejected(renamed, key),
        "swapped_pixels_rejected": _rejected(swapped, key),
        "protect_s": protect_s, "unprotect_s": unprotect_s,
    }


#: Columns of the side-by-side metric table: results key -> (label, decimals).
METRIC_TABLE = {"levels": ("L", 0), "pixels_per_image": ("Pixels", 0), "n_trials": ("Trials", 0), "entropy_per_image": ("Entropy", 3),
                "entropy_expected_per_image": ("Expected entropy", 3), "entropy_ideal": ("log2 L", 0),
                "chi2_p_pooled": ("χ² p (pooled)", 3), "corr_h_pooled": ("Corr. H", 4), "npcr": ("NPCR %", 4),
                "npcr_pass_rate": ("NPCR pass %", 1), "uaci": ("UACI %", 3), "uaci_pass_rate": ("UACI pass %", 1),
                "key_npcr": ("Key NPCR %", 4), "bit_exact_rate": ("Exact %", 0), "encrypt_mb_per_s": ("Encrypt MB/s", 1)}
_PERCENT = {"npcr", "npcr_pass_rate", "uaci", "uaci_pass_rate", "key_npcr", "bit_exact_rate"}


#: What :func:`metric_tables` leaves out of the columns because it is one value per image set (in the caption).
PER_IMAGE_SET = ("levels", "pixels_per_image", "entropy_expected_per_image", "entropy_ideal")


def _metric_text(key: str, value, digits: int) -> str:
    """One cell of :func:`metric_tables`: fixed decimals per column, thousands separators, never an exponent."""
    if formatting.is_missing(value):
        return formatting.MISSING
    if key == "chi2_p_pooled":
        return formatting.p_value(value)
    value = float(value) * (100 if key in _PERCENT else 1)
    return formatting.infinity(value) or f"{value:,.{digits}f}"


def metric_tables(rows: list[dict]) -> list:
    """Chapter 10.3's metric suite as one table per image set (the 8-bit MedMNIST images, then each DICOM file),
    one row per cipher with its name on every row, and the values that are the same for the whole set (L,
    log2 L, pixels, the expected entropy) in the caption instead of a column.

    Each column has one number of decimals (:data:`METRIC_TABLE`); fractions are in percent; χ² p-values
    follow :func:`medcrypt.formatting.p_value`. Returns pandas Stylers, captioned."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame["levels"] = frame["cipher_levels"]
    columns = {key: spec for key, spec in METRIC_TABLE.items() if key not in PER_IMAGE_SET}
    tables = []
    for images, part in frame.groupby("images", sort=False):
        first = part.iloc[0]
        shown = pd.DataFrame({label: [_metric_text(key, v, digits) for v in part[key]]
                              for key, (label, digits) in columns.items()},
                             index=pd.Index(part["cipher"], name="cipher"))
        caption = (f"<b>{images}</b>: L = {int(first['levels']):,} levels, ideal entropy log2 L = "
                   f"{first['entropy_ideal']:.0f} bits, expected entropy at {int(first['pixels_per_image']):,} "
                   f"pixels {first['entropy_expected_per_image']:.3f} bits")
        tables.append(shown.sort_index().style.set_caption(caption))
    return tables


def flag_comparison(flags8: dict[str, dict], flags16: dict[str, dict]) -> "pd.DataFrame":
    """Chapter 1's suite verdicts at 8 bits and at 16, one cell per (cipher, test): "passes", "flags", or "passes → flags"."""
    import pandas as pd

    shown = {True: "flags", False: "passes", None: formatting.MISSING}
    undecided = set(undecided_tests(flags16))  # a column of "passes → –" in every row says nothing: left out
    table = {}
    for name, flags in flags16.items():
        before = flags8.get(name, {})
        table[name] = {test: shown[flag] if before.get(test) == flag else f"{shown[before.get(test)]} → {shown[flag]}"
                       for test, flag in flags.items() if test not in undecided}
    frame = pd.DataFrame(table).T
    frame.index.name = "cipher"
    return frame


def undecided_tests(flags16: dict[str, dict]) -> list[str]:
    """The tests of chapter 1's suite that no cipher's 16-bit image could decide (flag None for every cipher)."""
    tests = [test for flags in flags16.values() for test in flags]
    return [test for test in dict.fromkeys(tests) if all(flags.get(test) is None for flags in flags16.values())]


# ------------------------------------------------------------------ the chapter's tables

def sample_table(images: dict) -> "pd.DataFrame":
    """One row per DICOM image (name -> :class:`medcrypt.data.DicomImage`): modality, size, bits, range."""
    import pandas as pd

    from .data import DICOM_SAMPLES

    rows = {}
    for name, image in images.items():
        header = image.header
        rows[name] = {"modality": str(header.get("Modality", "")), "size": "×".join(map(str, image.shape)),
                      "bits allocated": image.bits_allocated, "bits stored": image.bits_stored,
                      "signed": image.signed, "lowest value": int(image.pixels.min()),
                      "highest value": int(image.pixels.max()),
                      "transfer syntax": str(getattr(header.file_meta.TransferSyntaxUID, "name", "")),
                      "note": DICOM_SAMPLES.get(name, "")}
    frame = pd.DataFrame(rows).T
    frame.index.name = "file"
    return frame


def identity_table(sources: dict) -> "pd.DataFrame":
    """The :data:`IDENTIFYING` attributes of each source (a DicomImage or a Dataset), "(absent)" where missing."""
    import pandas as pd

    table = {}
    for label, source in sources.items():
        header = getattr(source, "header", source)
        table[label] = {k: (str(header[k].value) if k in header else "(absent)") or "(empty)" for k in IDENTIFYING}
    frame = pd.DataFrame(table).T  # one row per source: file names are row labels, attributes the columns
    frame.index.name = "source"
    return frame


def support_display(support: "pd.DataFrame") -> "pd.DataFrame":
    """:func:`support_table` with reader's column names."""
    shown = support.set_index("cipher")[["family", "takes_16_bit", "lossless_16_bit", "runs_at_native_size",
                                         "parameters_28", "parameters_native", "refusal"]]
    shown.columns = ["family", "takes 16-bit words", "16-bit round trip exact", "architecture runs at native size",
                     "parameters at 28×28", "parameters at native size", "refusal"]
    return shown


def _takes_16_bit(support: "pd.DataFrame") -> list[str]:
    """The ciphers of a :func:`support_table` that take 16-bit words: the ones chapter 10 measures at both depths."""
    return list(support.loc[support["takes_16_bit"], "cipher"])


def evaluate_all_native(support: "pd.DataFrame", images: dict, *, repeats: int, seed: int = 0) -> list[dict]:
    """:func:`evaluate_native` for every cipher of ``support`` that takes 16-bit words, on every image."""
    from . import zoo

    rows = []
    for name in _takes_16_bit(support):
        for image in images.values():
            cipher = zoo.build(name, image.pixels.shape[:2], seed)
            row = evaluate_native(cipher, image, cipher.keygen(seed), repeats=repeats, seed=seed)
            shape = "×".join(map(str, image.words.shape[1:]))
            rows.append({**row, "cipher": name, "images": f"{image.name} ({shape}, {image.bits_stored} of 16 bits)"})
    return rows


def evaluate_8bit(support: "pd.DataFrame", dataset: str, *, n_images: int | None, seed: int = 0,
                  root=None) -> list[dict]:
    """The same ciphers on 8-bit MedMNIST test images at 28×28: the comparison for :func:`evaluate_all_native`."""
    from . import data, metrics, zoo

    with data.accepting_subsets():
        split = data.load(dataset, "test", size=28, root=root, limit=n_images)
    rows = []
    for name in _takes_16_bit(support):
        cipher = zoo.build(name, split.images.shape[1:], seed)
        row = metrics.evaluate(cipher, split.images, cipher.keygen(seed), dataset=dataset, seed=seed)
        rows.append({**row, "cipher": name, "images": f"{dataset} test (28×28, 8 bits)", "height": 28, "width": 28,
                     "n_trials": row["n_images"]})
    return rows


def cipher_images(image, names: list[str], seed: int = 0) -> dict[str, np.ndarray]:
    """The plaintext words of ``image`` and their cipher words under each of ``names``, for a figure."""
    from . import zoo

    out = {"plaintext": image.words}
    for name in names:
        cipher = zoo.build(name, image.pixels.shape[:2], seed)
        out[name] = np.asarray(cipher.encrypt(image.words, cipher.keygen(seed)))
    return out


def protection_display(checks: list[dict]) -> "pd.DataFrame":
    """:func:`check_protection` rows with reader's column names, one row per file."""
    import pandas as pd

    columns = {"rows": "rows", "columns": "columns", "bits_stored": "bits stored",
               "decompressed_first": "decompressed first", "valid_dicom": "valid DICOM",
               "pixels_changed": "pixel bytes changed", "pixels_exact": "pixels restored exactly",
               "attributes_exact": "header restored exactly", "wrong_key_rejected": "wrong key rejected",
               "flipped_pixel_rejected": "flipped pixel byte rejected", "changed_uid_rejected": "changed UID rejected",
               "swapped_pixels_rejected": "swapped pixel data rejected", "identity_in_file": "identity left in file",
               "protect_s": "protect (s)", "unprotect_s": "unprotect (s)"}
    frame = pd.DataFrame(checks).set_index("file")[list(columns)]
    frame["identity_in_file"] = frame["identity_in_file"].map(lambda found: "; ".join(found) or "none")
    frame["pixels_changed"] = frame["pixels_changed"].map(lambda f: f"{f:.1%}")
    frame = frame.rename(columns=columns)
    return frame


def repeated_blocks(cipher_words: np.ndarray) -> float:
    """Share of the 16-byte AES blocks of one cipher image (any dtype) that repeat an earlier block: ECB's leak."""
    blocks = np.ascontiguousarray(cipher_words).view(np.uint8).reshape(-1, 16)
    return 1 - len(np.unique(blocks, axis=0)) / len(blocks)
