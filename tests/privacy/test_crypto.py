"""Encryption and the blind index, with the keys the test settings generated."""

import pytest
from cryptography.fernet import Fernet

from privacy import crypto

ADDRESS = "anna.petrova@example.org"


def test_encrypted_text_decrypts_to_the_same_text():
    assert crypto.decrypt(crypto.encrypt("Анна Петрова")) == "Анна Петрова"


def test_the_token_does_not_contain_the_text():
    token = crypto.encrypt(ADDRESS)
    assert ADDRESS not in token
    assert "anna" not in token.lower()


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt(ADDRESS) != crypto.encrypt(ADDRESS)


def test_an_address_in_any_case_or_padding_gives_one_blind_index():
    assert crypto.email_index(" Anna.Petrova@Example.ORG\n") == crypto.email_index(ADDRESS)
    assert len(crypto.email_index(ADDRESS)) == 64
    assert crypto.email_index(ADDRESS) != crypto.email_index("boris@example.org")


def test_different_purposes_give_unrelated_indexes():
    assert crypto.blind_index("anna", purpose="email") != crypto.blind_index("anna", purpose="name")


def test_the_blind_index_depends_on_the_key(settings):
    before = crypto.email_index(ADDRESS)
    settings.BLIND_INDEX_KEY = "A" * 44
    assert crypto.email_index(ADDRESS) != before


def test_a_purpose_cannot_smuggle_the_separator():
    with pytest.raises(ValueError, match="NUL"):
        crypto.blind_index("x", purpose="email\x00name")


def test_a_token_from_an_older_key_decrypts_while_the_key_is_listed(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    token = crypto.encrypt(ADDRESS)
    settings.ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == ADDRESS
    assert not crypto.is_current(token)
    rotated = crypto.rotate(token)
    assert crypto.is_current(rotated)
    settings.ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == ADDRESS
    with pytest.raises(crypto.DecryptionError, match="READERFUND_ENCRYPTION_KEYS"):
        crypto.decrypt(token)


def test_a_changed_token_is_refused_not_decrypted_to_garbage():
    token = crypto.encrypt(ADDRESS)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)
