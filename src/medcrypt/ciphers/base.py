"""The `Cipher` contract that every chapter relies on, input validation and the registry.

A cipher maps a batch of ``uint8`` images to a batch of ``uint8`` cipher images under a
key. Cipher images may differ in shape from the plaintext: a latent hybrid encrypts a
compressed code, so ``(N, H, W)`` images can become ``(N, L)`` cipher bytes; the metric
suite measures whatever comes out. The architecture is public (Kerckhoffs); ``key_bits``
counts only the secret that is *not* public, so trained weights are never part of it.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

from .. import families as _families

Key = Any  # bytes for every built-in cipher; a plugin documents its own key type.

#: The families a cipher may declare (one table: :mod:`medcrypt.families`).
FAMILIES = _families.CIPHER_FAMILIES


class AuthenticationError(Exception):
    """An authenticated cipher refused to decrypt: wrong key, or a ciphertext, nonce or tag altered.

    It is deliberately not a ``ValueError``: the input was well-formed, it just failed
    verification, and no plaintext (not even a partial one) is returned.
    """


@runtime_checkable
class Cipher(Protocol):
    """Everything the metric suite, the attacks and the comparison call on a cipher.

    The one list of what the library reads: a member that library code reads is written
    here and in :data:`CONTRACT_MEMBERS` (``tests/test_checks.py`` records what a whole
    ``medcrypt evaluate`` run reads and fails on anything else), and
    :mod:`medcrypt.ciphers.checks` checks each rule (``medcrypt check module:Class``).

    Required:

    * ``name`` (registry name), ``family`` (a row of :mod:`medcrypt.families`),
      ``lossless`` (whether ``decrypt`` returns the images bit-exactly) and ``key_bits``
      (the secret's size; 0 for a keyless transform such as ``identity``).
    * ``keygen(seed)``: a fresh key (from the operating system); with a seed, a reproducible
      one for experiments.
    * ``encrypt(images, key)``: ``uint8`` ``(N, H, W)`` or ``(N, H, W, C)`` to ``uint8``
      cipher images whose first axis is ``N`` (the rest may differ). Public per-image data
      that decryption needs (a nonce) travels in a :class:`CipherImages` ``side`` array.
      Input that is not such a batch raises a ``ValueError`` saying what is expected
      (:func:`check_images` writes those messages); so does a key of the wrong type or
      size, naming the size and ``keygen()`` (:func:`check_key`). Randomised ciphers draw
      their nonces from the operating system, never from the constructor's ``seed``.
    * ``decrypt(cipher, key)``: the inverse, also of a slice of a batch; an authenticated
      cipher raises :class:`AuthenticationError` for a wrong key or any altered input.
    * ``flip_key_bit(key, bit)``: ``key`` with bit ``bit`` (``0 <= bit < key_bits``) flipped;
      the key-sensitivity test and the key audit use it. Ciphers with ``bytes`` keys
      delegate to :func:`flip_key_bit`.

    Optional, read with ``getattr`` where they exist:

    * ``image_shape``: the one shape a learned model accepts (constructors take it too);
      the conformance checks and :func:`medcrypt.zoo.ready` read it.
    * ``key_schedule_bits()``: sub-key name -> log2 of the distinct parameter values that
      sub-key can set (float parameters hold fewer values than keys); the key audit credits
      the divide-and-conquer sum when it is smaller than the key.
    * ``cipher_behind_codec``: the registry name of the standard cipher that encrypts a
      trained codec's output (``"aes-gcm"`` for the latent hybrids); the book then counts the
      cipher as codec + that cipher, not as a learned cipher.
    * ``state_guessing_bits()``: log2 of the work of guessing the internal state that sets
      the key-stream (a chaotic map's state after its transient); the key audit credits it
      when it is smaller.
    * ``parameter_count()``: trainable parameters, for the cost table.
    * ``modules``: a learned cipher's ``dict`` of torch modules; :func:`medcrypt.bench.multiply_adds`
      hooks its layers to count the multiply-adds of one encryption.
    * ``quick_fit``, ``fit`` or ``train`` (the first that exists): ``medcrypt evaluate``
      trains a candidate without ``--weights`` with it; ``load(path)`` reads ``--weights``.
    * constructor argument ``seed`` (reproducible weights for the book's tables;
      :func:`medcrypt.zoo.build` passes it where a cipher accepts it). Nonces are never
      seeded outside the unit tests (``unsafe_test_nonce_seed``).
    * ``encrypt(..., identifiers=...)`` (AES-GCM): per-image data bound into the tag.
    * ``bit_depths``: the pixel depths the cipher takes, ``(8,)`` when absent; ``(8, 16)``
      for the byte-oriented ciphers that :func:`takes_16_bit` adapts to ``uint16`` words.
    * ``decrypt_keys(cipher, keys)``: the decryptions of one batch under each of several
      keys, shape ``(len(keys), *decrypt(cipher, key).shape)``, equal to ``decrypt`` key by
      key. The random-key search (:mod:`medcrypt.attacks.key_search`) tries thousands of
      keys with it in a few calls, for this library's own ciphers only: a check of sampled
      keys cannot catch a ``decrypt_keys`` wrong on exactly the few keys that matter, so a
      cipher from elsewhere is searched key by key (``medcrypt check`` still tests it). Only
      ciphers whose arithmetic is the same in any batch offer it (elementwise chaotic maps,
      the integer coupling network): a float network's matrix products round differently
      for another batch shape, and a last-bit difference can change a decrypted byte.

    Declarations no library code reads, which the tests hold against the key audit's
    findings (``tests/test_security.py``), so that a weakness a cipher admits is shown found:

    * ``separable_key_bits``: claimed key bits an attacker can search apart from the rest
      (the audit must find exactly these separable);
    * ``wrong_key_keeps_content``: a wrong key still decrypts to the image's own content
      (the audit must credit fewer than half the claimed bits).
    """

    name: str
    family: str
    lossless: bool
    key_bits: int

    def keygen(self, seed: int | None = None) -> Key: ...

    def encrypt(self, images: np.ndarray, key: Key) -> np.ndarray: ...

    def decrypt(self, cipher: np.ndarray, key: Key) -> np.ndarray: ...

    def flip_key_bit(self, key: Key, bit: int) -> Key: ...


@runtime_checkable
class LearnedCipher(Cipher, Protocol):
    """A cipher with trained weights (chapters 3 to 6): what training, checkpoints and chapter 8 call.

    * ``image_shape`` and ``config``: the constructor's arguments, enough to rebuild the
      model (``type(c)(**c.config)``); checkpoint file names hash it.
    * ``fit(images, epochs=..., seed=...)``: train (a chapter's own schedule);
      ``quick_fit(images, epochs=..., seed=...)``: train with defaults when a later chapter
      needs a model no chapter recorded (:func:`medcrypt.zoo.ready`).
    * ``save(path)`` and the class method ``load(path, device=None)``: a checkpoint.
    * ``history``: the losses of training so far; ``parameter_count()``; ``to(device)``;
      ``device``, where :func:`medcrypt.ciphers.neural.load_or_train` loads a checkpoint to.

    Constructors take ``image_shape`` and ``seed``, and draw every random number from
    generators they own: building or training a cipher leaves the global Python, NumPy
    and torch generators as they were.
    """

    image_shape: tuple[int, ...]
    config: dict

    def fit(self, images: np.ndarray, *, epochs: int, seed: int = 0) -> Any: ...

    def quick_fit(self, images: np.ndarray, *, epochs: int, seed: int = 0) -> Any: ...

    def save(self, path) -> Any: ...

    @classmethod
    def load(cls, path, device: str | None = None) -> "LearnedCipher": ...

    def parameter_count(self) -> int: ...


#: The members of a cipher that library code may read (the two protocols above). Reading
#: any other public member is an undocumented contract: document it here and in the protocols.
CONTRACT_MEMBERS = (
    # Cipher, required
    "name", "family", "lossless", "key_bits", "keygen", "encrypt", "decrypt", "flip_key_bit",
    # Cipher, optional
    "image_shape", "key_schedule_bits", "cipher_behind_codec", "state_guessing_bits", "parameter_count", "modules",
    "bit_depths", "quick_fit", "fit", "train", "load", "decrypt_keys",
    # LearnedCipher
    "config", "save", "history", "to", "device",
)
#: Documented declarations that only the tests read (see :class:`Cipher`), never library code.
TEST_DECLARATIONS = ("separable_key_bits", "wrong_key_keeps_content")


class CipherImages(np.ndarray):
    """Cipher images (``uint8``) that carry public per-image side data, such as a nonce.

    A correctly used stream cipher draws a fresh nonce for every image. The nonce is
    public but decryption needs it, so it travels with the pixels in ``side``
    (shape ``(N, k)``). Metrics see only the pixels. Indexing along the batch axis keeps
    the matching rows of ``side``; any other indexing returns a plain array.
    """

    side: np.ndarray | None

    def __new__(cls, pixels: np.ndarray, side: np.ndarray):
        obj = np.asarray(pixels).view(cls)
        obj.side = np.asarray(side)
        if obj.side.shape[0] != obj.shape[0]:
            raise ValueError(f"side data has {obj.side.shape[0]} rows for {obj.shape[0]} images")
        return obj

    def __array_finalize__(self, obj):
        self.side = getattr(obj, "side", None)

    def __getitem__(self, index):
        out = super().__getitem__(index)
        if not isinstance(out, CipherImages):  # a scalar
            return out
        if isinstance(index, tuple):
            if len(index) != 1:  # indexes pixels too: no longer a batch of whole images
                return out.view(np.ndarray)
            index = index[0]
        if isinstance(index, (int, np.integer)):  # one image without its batch axis
            return out.view(np.ndarray)
        out.side = None if self.side is None else self.side[index]
        return out

    def pixels(self) -> np.ndarray:
        """The cipher image as a plain ``uint8`` array, without side data."""
        return self.view(np.ndarray)


def ciphertext_bytes(cipher) -> np.ndarray:
    """The whole ciphertext of every image as ``uint8`` rows (N, L): its output bytes, then its side data.

    Output of any shape whose first axis is N is read in C order (a ``uint16`` output as its
    bytes, in memory order); the side data of a :class:`~medcrypt.ciphers.base.CipherImages`
    (nonces, tags) follows. Raises ``ValueError`` for output without a batch axis.
    """
    pixels = np.ascontiguousarray(np.asarray(cipher).view(np.ndarray))
    if pixels.ndim < 1 or pixels.shape[0] == 0:
        raise ValueError(f"a cipher's output must have a batch axis with at least one image; got shape {pixels.shape}")
    n = pixels.shape[0]
    rows = [pixels.reshape(n, -1).view(np.uint8).reshape(n, -1)]
    side = getattr(cipher, "side", None)
    if side is not None:
        side = np.ascontiguousarray(np.asarray(side))
        if side.shape[0] != n:
            raise ValueError(f"side data has {side.shape[0]} rows for {n} images")
        rows.append(side.reshape(n, -1).view(np.uint8).reshape(n, -1))
    return np.concatenate(rows, axis=1) if len(rows) > 1 else rows[0]


class ImageShaped:
    """A cipher whose output is a flat ``(N, L)`` byte row per image, seen as ``(N, 1, L)`` cipher images.

    The contract lets a cipher return any shape whose first axis is N: an IV prepended, a
    tag appended. The metric suite and the attacks measure cipher images of at least
    three axes, so this view gives flat output a height of one pixel (as the latent-code
    ciphers have) and hands decryption its own shape back. Every other attribute is the
    cipher's own.
    """

    def __init__(self, cipher):
        self._cipher = cipher

    def __getattr__(self, attribute):
        return getattr(self._cipher, attribute)

    def encrypt(self, images, key, *args, **kwargs):
        out = self._cipher.encrypt(images, key, *args, **kwargs)
        side = getattr(out, "side", None)
        shaped = np.asarray(out).view(np.ndarray)[:, None, :]
        return CipherImages(shaped, side) if side is not None else shaped

    def decrypt(self, cipher, key, *args, **kwargs):
        side = getattr(cipher, "side", None)
        flat = np.asarray(cipher).view(np.ndarray)
        flat = flat.reshape(len(flat), -1) if flat.ndim >= 2 else flat  # a malformed input stays malformed
        return self._cipher.decrypt(CipherImages(flat, side) if side is not None else flat, key, *args, **kwargs)


def image_shaped(cipher, images: np.ndarray):
    """``cipher`` itself, or :class:`ImageShaped` around it when it encrypts ``images`` to flat ``(N, L)`` rows."""
    out = np.asarray(cipher.encrypt(images[:1], cipher.keygen()))
    return ImageShaped(cipher) if out.ndim == 2 else cipher


def check_images(
    images: Any,
    who: str,
    *,
    image_shape: tuple[int, ...] | None = None,
    argument: str = "images",
) -> np.ndarray:
    """Return ``images`` as a C-contiguous ``uint8`` batch, or raise a ``ValueError`` that says what is expected.

    A batch is ``(N, H, W)`` (grey) or ``(N, H, W, C)`` (colour) with ``N >= 1``.
    ``image_shape`` pins ``(H, W)`` or ``(H, W, C)`` for models trained at one size.
    """
    expected = "a uint8 array of shape (N, H, W) or (N, H, W, C) with N >= 1"
    if not isinstance(images, np.ndarray):
        raise ValueError(f"{who}: {argument} must be {expected}; got {type(images).__name__}")
    if images.dtype.kind in "ui" and images.dtype.itemsize == 2:  # 12- to 16-bit data, such as DICOM pixels
        raise ValueError(
            f"{who} takes 8-bit images only ({argument} must be {expected}); got dtype {images.dtype}, "
            "16-bit words. Cutting them to 8 bits would throw away information a "
            "clinician needs; encrypt 16-bit data with a cipher whose bit_depths include 16 (the AES and "
            "chaotic baselines: medcrypt.clinic.support_table lists them)."
        )
    if images.dtype != np.uint8:
        raise ValueError(
            f"{who}: {argument} must be {expected}; got dtype {images.dtype}. "
            "Convert 0..255 data with .astype(np.uint8) or float data in [0, 1] with "
            "(x * 255).round().astype(np.uint8)."
        )
    if images.ndim not in (3, 4):
        hint = " (a single image? add a batch axis with images[None])" if images.ndim == 2 else ""
        raise ValueError(f"{who}: {argument} must be {expected}; got shape {images.shape}{hint}")
    if images.shape[0] == 0 or 0 in images.shape[1:]:
        raise ValueError(f"{who}: {argument} must be {expected}; got an empty batch of shape {images.shape}")
    if image_shape is not None and tuple(images.shape[1:]) != tuple(image_shape):
        raise ValueError(
            f"{who}: {argument} must be a uint8 array of shape (N, {', '.join(map(str, image_shape))}) for this model; "
            f"got {images.shape}"
        )
    return np.ascontiguousarray(images)


def words_as_bytes(images: np.ndarray) -> np.ndarray:
    """``uint16`` images (N, H, W[, C]) as ``uint8`` (N, H, W, 2C): each word's two bytes, low byte first.

    The byte order is fixed (little-endian, as DICOM's usual transfer syntaxes store pixels),
    not the machine's, so a cipher image means the same on every computer.
    """
    shape = images.shape
    channels = shape[3] if images.ndim == 4 else 1
    return np.ascontiguousarray(images, dtype="<u2").view(np.uint8).reshape(*shape[:3], 2 * channels)


def bytes_as_words(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The inverse of :func:`words_as_bytes`: ``uint8`` (N, H, W, 2C) back to ``uint16`` images of ``shape``.

    Side data (nonces, tags) of :class:`CipherImages` stays with the batch.
    """
    words = np.ascontiguousarray(np.asarray(data)).view("<u2").reshape(shape).astype(np.uint16, copy=False)
    side = getattr(data, "side", None)
    return CipherImages(words, side) if side is not None else words


def takes_16_bit(cls):
    """Class decorator: let a byte-oriented cipher take ``uint16`` images (16-bit DICOM words) as well as ``uint8``.

    A batch of words is encrypted as the batch of their bytes (:func:`words_as_bytes`: one
    grey image becomes two byte channels), and the cipher image is read back as words, so
    16-bit plaintext gives 16-bit cipher images of its shape. A cipher whose every output
    byte depends on the key alone (AES) or on the key and every input byte (the chaotic
    ciphers' diffusion) keeps that property on words. ``bit_depths`` becomes ``(8, 16)``. A
    ``decrypt_keys`` takes words too, one key at a time through the adapted ``decrypt``.
    """
    encrypt, decrypt = cls.encrypt, cls.decrypt

    def encrypt_words(self, images, key, *args, **kwargs):
        if isinstance(images, np.ndarray) and images.dtype == np.uint16:
            return bytes_as_words(encrypt(self, words_as_bytes(images), key, *args, **kwargs), images.shape)
        return encrypt(self, images, key, *args, **kwargs)

    def decrypt_words(self, cipher, key, *args, **kwargs):
        if isinstance(cipher, np.ndarray) and cipher.dtype == np.uint16:
            data = words_as_bytes(cipher.view(np.ndarray))
            side = getattr(cipher, "side", None)
            plain = decrypt(self, CipherImages(data, side) if side is not None else data, key, *args, **kwargs)
            return bytes_as_words(plain, cipher.shape)
        return decrypt(self, cipher, key, *args, **kwargs)

    pairs = [(encrypt_words, encrypt), (decrypt_words, decrypt)]
    decrypt_keys = getattr(cls, "decrypt_keys", None)
    if decrypt_keys is not None:  # words go key by key through decrypt_words; bytes keep the batched path

        def decrypt_keys_words(self, cipher, keys):
            if isinstance(cipher, np.ndarray) and cipher.dtype == np.uint16:
                return np.stack([self.decrypt(cipher, key) for key in keys])
            return decrypt_keys(self, cipher, keys)

        pairs.append((decrypt_keys_words, decrypt_keys))
    for wrapper, wrapped in pairs:
        wrapper.__name__, wrapper.__qualname__, wrapper.__doc__ = wrapped.__name__, wrapped.__qualname__, wrapped.__doc__
        wrapper.__wrapped__ = wrapped
    cls.encrypt, cls.decrypt = encrypt_words, decrypt_words
    if decrypt_keys is not None:
        cls.decrypt_keys = pairs[2][0]
    cls.bit_depths = (8, 16)
    return cls


def bit_depths(cipher) -> tuple[int, ...]:
    """The pixel depths ``cipher`` (an instance or class) takes: its ``bit_depths``, else 8-bit only."""
    return tuple(getattr(cipher, "bit_depths", (8,)))


def seeded_key(seed: int | None, n_bytes: int) -> bytes:
    """A random key: from ``os.urandom``, or from ``seed`` for reproducible experiments only."""
    return os.urandom(n_bytes) if seed is None else np.random.default_rng(seed).bytes(n_bytes)


def check_key(key: Any, n_bytes: int, who: str, what: str = "") -> bytes:
    """``key`` as ``bytes`` if it is ``n_bytes`` long, else a ``ValueError`` that names the size expected.

    ``what`` says what the bytes are, e.g. "AES-256", for the message.
    """
    if not isinstance(key, (bytes, bytearray)) or len(key) != n_bytes:
        got = f"{len(key)} bytes" if isinstance(key, (bytes, bytearray)) else type(key).__name__
        raise ValueError(f"{who}: key must be {n_bytes} bytes ({what or f'{8 * n_bytes} bits'}); got {got}. "
                         "Make one with the cipher's keygen()")
    return bytes(key)


def flip_key_bit(key: bytes, bit: int) -> bytes:
    """Return ``key`` with bit number ``bit`` flipped (bit 0 is the most significant bit of byte 0)."""
    if not isinstance(key, (bytes, bytearray)):
        raise ValueError(f"flip_key_bit expects a bytes key; got {type(key).__name__}")
    if not 0 <= bit < 8 * len(key):
        raise ValueError(f"bit must be in [0, {8 * len(key)}); got {bit}")
    out = bytearray(key)
    out[bit // 8] ^= 0x80 >> (bit % 8)
    return bytes(out)


# ---------------------------------------------------------------- registry

_REGISTRY: dict[str, Callable[..., Cipher]] = {}
#: Built-in ciphers whose module imports torch: name -> "module:Class", imported on first use,
#: so that the registry and the metric suite work without torch.
_LAZY: dict[str, str] = {}
_PLUGINS_LOADED = False


def _load_plugins() -> None:
    """Register installed packages' ciphers (entry-point group ``medcrypt.ciphers``) once, on first use."""
    global _PLUGINS_LOADED
    if not _PLUGINS_LOADED:
        _PLUGINS_LOADED = True
        from .plugins import load_entry_points

        load_entry_points()


def _same_class(a, b) -> bool:
    """Whether ``a`` and ``b`` are one class defined twice (a notebook cell run again), by module and qualified name."""
    return (getattr(a, "__module__", None), getattr(a, "__qualname__", None)) == \
        (getattr(b, "__module__", None), getattr(b, "__qualname__", None))


def register(factory: Callable[..., Cipher]) -> Callable[..., Cipher]:
    """Class decorator: make a cipher available by its ``name`` to chapters and the comparison.

    Registering the same class again (same module and qualified name, as when a notebook
    cell that defines it runs twice) replaces the old definition; a different class under
    a taken name is refused.
    """
    name = getattr(factory, "name", None)
    family = getattr(factory, "family", None)
    if not name:
        raise ValueError(f"{factory!r} has no `name`; give the class a `name = \"my-cipher\"` attribute")
    if family not in FAMILIES:
        raise ValueError(f"{name}: family must be one of {FAMILIES}; got {family!r} "
                         "(a new family is a new row in medcrypt.families)")
    taken = _REGISTRY.get(name)
    if taken is not None and taken is not factory and not _same_class(taken, factory):
        raise ValueError(f"a cipher named {name!r} is already registered ({taken.__module__}.{taken.__qualname__}); "
                         "choose another name")
    lazy = _LAZY.get(name)
    if lazy is not None and lazy != f"{factory.__module__}:{factory.__qualname__}":
        raise ValueError(f"a cipher named {name!r} is already registered ({lazy}); choose another name")
    _LAZY.pop(name, None)
    _REGISTRY[name] = factory
    return factory


def register_lazy(name: str, spec: str) -> None:
    """Make the built-in cipher ``name`` known without importing it; :func:`factory` imports ``spec`` ("module:Class")."""
    if name in _REGISTRY or name in _LAZY:
        raise ValueError(f"a cipher named {name!r} is already registered")
    _LAZY[name] = spec


def available() -> list[str]:
    """Names of every registered cipher, sorted (installed plugins included)."""
    _load_plugins()
    return sorted(set(_REGISTRY) | set(_LAZY))


def factory(name: str) -> Callable[..., Cipher]:
    """The class (or factory) registered as ``name``."""
    _load_plugins()
    if name in _LAZY and name not in _REGISTRY:
        module, _, attribute = _LAZY[name].partition(":")
        getattr(importlib.import_module(module), attribute)  # importing it runs its @register
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no cipher named {name!r}; registered: {', '.join(available())}") from None


def get(name: str, **kwargs) -> Cipher:
    """Build the registered cipher ``name``."""
    return factory(name)(**kwargs)


# ------------------------------------------------------------------ what counts as learned (one definition)

#: What a class needs to be trained and checkpointed (:class:`LearnedCipher`).
LEARNED_METHODS = ("fit", "quick_fit", "save", "load")


def trains(made_by) -> bool:
    """Whether ``made_by`` (a registry name, a class or an instance) has trained weights: it trains, saves and
    loads. The zoo checkpoints exactly these. A cipher built on a fixed network (the Hopfield
    ciphers' chaotic map) has no training, whatever its family."""
    import inspect

    if isinstance(made_by, str):
        made_by = factory(made_by)
    cls = made_by if inspect.isclass(made_by) else type(made_by)
    return all(callable(getattr(cls, m, None)) for m in LEARNED_METHODS)


def behind_codec(made_by) -> bool:
    """Whether ``made_by`` encrypts a trained codec's output with a standard cipher (``cipher_behind_codec``)."""
    if isinstance(made_by, str):
        made_by = factory(made_by)
    return bool(getattr(made_by, "cipher_behind_codec", None))


def is_learned(made_by) -> bool:
    """The book's one definition of a *learned* cipher: it has trained weights (:func:`trains`) and its
    secrecy rests on the network, not on a standard cipher behind a trained codec (:func:`behind_codec`).

    Chapters 8, 9 and 10 and ``medcrypt evaluate`` all count with it.
    """
    return trains(made_by) and not behind_codec(made_by)
