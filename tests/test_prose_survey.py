"""The survey page's sentences: every branch, with the counts that choose it."""

from medcrypt.book import prose


def test_read_from_sentence():
    assert prose.read_from_sentence({}) == "The literature base holds no papers yet."
    assert prose.read_from_sentence({"abstract": 5}) == "All 5 papers were read from the abstract only."
    assert prose.read_from_sentence({"full text": 2, "abstract": 3, "record": 0}) == (
        "Of the 5 papers, we read 2 in full text and 3 from the abstract only.")


def test_secret_sentence_names_security_by_obscurity_only_when_weights_are_the_secret():
    assert prose.secret_sentence({}) == "No paper of the base proposes a cipher."
    plain = prose.secret_sentence({"key": 4, "generated key": 1})
    assert plain == ("Of the 5 papers that propose a cipher, the secret is a key chosen by the user in 4 and a key "
                     "that a network generates in 1.")
    weights = prose.secret_sentence({"key": 4, "weights": 2})
    assert "in the 2 whose secret is the weights" in weights.lower() and "obscurity" in weights


def test_lossless_sentence():
    assert prose.lossless_sentence({}) == "No paper of the base proposes a cipher."
    assert prose.lossless_sentence({"lossless": 2, "lossy": 1, "not stated": 3}) == (
        "Of the 6 cipher papers, 2 state that decryption restores the image exactly, 1 decrypts with loss and for 3 "
        "the text we read does not say.")
    assert prose.lossless_sentence({"lossy": 1}) == "Of the 1 cipher papers, 1 decrypts with loss."
    assert "1 states that decryption" in prose.lossless_sentence({"lossless": 1, "lossy": 2})


def test_attack_sentence_reads_the_share():
    assert prose.attack_sentence(0, 0) == ""
    assert prose.attack_sentence(0, 9).startswith("None of the 9 cipher papers")
    assert prose.attack_sentence(2, 9).startswith("Only 2 of the 9")
    assert prose.attack_sentence(6, 9).startswith("6 of the 9") and "Only" not in prose.attack_sentence(6, 9)


def test_empty_cells_sentence():
    assert prose.empty_cells_sentence({}) == ""
    assert prose.empty_cells_sentence({"full text": 3}).startswith("All 3 cipher papers were read in full text")
    mixed = prose.empty_cells_sentence({"full text": 1, "abstract": 4, "record": 1})
    assert "5 could be read only from the abstract" in mixed and "for the 1 read in full text" in mixed
    only = prose.empty_cells_sentence({"abstract": 2})
    assert only.startswith("All 2 cipher papers could be read only") and only.endswith("not values the papers lack.")


def test_kinds_sentence_names_what_is_filed_beside_the_ciphers():
    assert prose.kinds_sentence({}, 5) == "Every paper filed under a method topic proposes a cipher: 5 in all."
    one = prose.kinds_sentence({"steganography": 1}, 5)
    assert "besides the 5 papers that propose one" in one and "1 paper on steganography" in one
    many = prose.kinds_sentence({"steganography": 2, "adversarial defence": 3, "overview": 1, "attack": 0}, 9)
    assert "2 papers on steganography" in many and "3 adversarial defences" in many and "1 overview" in many
    assert "attack" not in many  # a kind with no paper is not named
