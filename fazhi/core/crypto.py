"""Citizen PII at rest: SM4 encryption (GB/T 32907), SM3 blind indexes (GB/T 32905), masks.

Ciphertext format: ``"v1:" + base64(mode || nonce || body)``

- mode 0x01: SM4-GCM; nonce 12 random bytes; body = ciphertext || 16-byte tag.
- mode 0x02: SM4-CBC + HMAC-SM3 (encrypt-then-MAC), for OpenSSL builds without SM4-GCM;
  nonce = 16-byte IV; body = PKCS7-padded ciphertext || 32-byte MAC.

Every value gets a fresh random nonce, so equal phone numbers encrypt differently; exact-value
search uses ``blind_index()`` (HMAC-SM3 of the normalised value) stored beside the ciphertext.

Key rotation: set the new key in FAZHI_PII_KEY and the previous one in FAZHI_PII_KEY_OLD.
Decryption tries both (the tag/MAC tells which key fits); ``blind_indexes()`` returns the
index under both keys so lookups keep matching rows written before the rotation until they
are re-saved.
"""

import base64
import functools
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"
MODE_GCM = 0x01
MODE_CBC_HMAC = 0x02
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16
CBC_IV_BYTES = 16
MAC_BYTES = 32

PII_KINDS = ("phone", "id_number", "name", "text")


class DecryptionError(ValueError):
    """The stored value is not ours, was altered, or was written under an unknown key."""


@dataclass(frozen=True)
class KeySet:
    cipher: bytes  # the SM4 key itself
    mac: bytes  # for the CBC fallback
    index: bytes  # for blind indexes


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def _parse_key(name: str, raw: str) -> bytes:
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured(f"{name} 必须是32位十六进制（128位 SM4 密钥）。")
    return key


@functools.lru_cache(maxsize=8)
def _derive(name: str, raw: str) -> KeySet:
    # Separate sub-keys so the MAC and index keys never equal the cipher key.
    master = _parse_key(name, raw)
    return KeySet(
        cipher=master,
        mac=_hmac_sm3(master, b"fazhi/pii/mac/v1"),
        index=_hmac_sm3(master, b"fazhi/pii/blind-index/v1"),
    )


def current_keys() -> KeySet:
    return _derive("FAZHI_PII_KEY", settings.FAZHI_PII_KEY)


def all_keys() -> list[KeySet]:
    """The current key first, then the previous one during a rotation."""
    keys = [current_keys()]
    # Read from the environment too, until settings.py declares FAZHI_PII_KEY_OLD.
    old = getattr(settings, "FAZHI_PII_KEY_OLD", "") or os.environ.get("FAZHI_PII_KEY_OLD", "")
    if old:
        keys.append(_derive("FAZHI_PII_KEY_OLD", old))
    return keys


@functools.cache
def gcm_supported() -> bool:
    from cryptography.hazmat.backends.openssl.backend import backend

    return backend.cipher_supported(algorithms.SM4(b"\0" * 16), modes.GCM(b"\0" * GCM_NONCE_BYTES))


def _seal_gcm(keys: KeySet, data: bytes) -> bytes:
    nonce = os.urandom(GCM_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys.cipher), modes.GCM(nonce)).encryptor()
    body = encryptor.update(data) + encryptor.finalize()
    return bytes([MODE_GCM]) + nonce + body + encryptor.tag


def _seal_cbc_hmac(keys: KeySet, data: bytes) -> bytes:
    iv = os.urandom(CBC_IV_BYTES)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(keys.cipher), modes.CBC(iv)).encryptor()
    sealed = bytes([MODE_CBC_HMAC]) + iv + encryptor.update(padded) + encryptor.finalize()
    return sealed + _hmac_sm3(keys.mac, sealed)


def _open(keys: KeySet, raw: bytes) -> bytes:
    mode = raw[0]
    if mode == MODE_GCM:
        nonce = raw[1 : 1 + GCM_NONCE_BYTES]
        body, tag = raw[1 + GCM_NONCE_BYTES : -GCM_TAG_BYTES], raw[-GCM_TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(keys.cipher), modes.GCM(nonce, tag)).decryptor()
        return decryptor.update(body) + decryptor.finalize()
    if mode == MODE_CBC_HMAC:
        sealed, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
        verifier = hmac.HMAC(keys.mac, hashes.SM3())
        verifier.update(sealed)
        verifier.verify(mac)
        iv, body = sealed[1 : 1 + CBC_IV_BYTES], sealed[1 + CBC_IV_BYTES :]
        decryptor = Cipher(algorithms.SM4(keys.cipher), modes.CBC(iv)).decryptor()
        padded = decryptor.update(body) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()
    raise DecryptionError(f"未知的加密方式 {mode:#x}。")


def encrypt(plaintext: str, *, mode: int | None = None) -> str:
    """Encrypt under the current key. `mode` is for tests; by default GCM when available."""
    if mode is None:
        mode = MODE_GCM if gcm_supported() else MODE_CBC_HMAC
    seal = _seal_gcm if mode == MODE_GCM else _seal_cbc_hmac
    return PREFIX + base64.b64encode(seal(current_keys(), plaintext.encode())).decode("ascii")


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def decrypt(token: str) -> str:
    if not is_encrypted(token):
        raise DecryptionError("该值不是加密数据（缺少 v1: 前缀）。")
    try:
        raw = base64.b64decode(token[len(PREFIX) :], validate=True)
    except ValueError:
        raise DecryptionError("密文不是有效的 base64。") from None
    if len(raw) < 1 + GCM_NONCE_BYTES + GCM_TAG_BYTES:
        raise DecryptionError("密文长度不足。")
    for keys in all_keys():
        try:
            return _open(keys, raw).decode()
        except (InvalidTag, InvalidSignature, ValueError):
            continue
    raise DecryptionError("无法解密：密文被篡改，或写入时使用的密钥已不在配置中。")


def reencrypt(token: str) -> str:
    """Re-encrypt a stored value under the current key (key rotation)."""
    return encrypt(decrypt(token))


# --- blind indexes -------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-()（）]+")
_MOBILE_WITH_COUNTRY = re.compile(r"^(?:\+|00)?86(1[3-9]\d{9})$")


def normalise(value: str, kind: str) -> str:
    """The form two spellings of the same value share: "+86 138-1234-1234" → "13812341234"."""
    if kind not in PII_KINDS:
        raise ValueError(f"未知的个人信息类型 {kind!r}，可选：{', '.join(PII_KINDS)}。")
    value = value.strip()
    if kind == "phone":
        value = _SEPARATORS.sub("", value)
        matched = _MOBILE_WITH_COUNTRY.match(value)
        return matched.group(1) if matched else value
    if kind == "id_number":
        return re.sub(r"\s+", "", value).upper()
    return re.sub(r"\s+", " ", value)


def _index_with(keys: KeySet, value: str, kind: str) -> str:
    return _hmac_sm3(keys.index, f"{kind}\x00{normalise(value, kind)}".encode()).hex()


def blind_index(value: str | None, kind: str) -> str:
    """HMAC-SM3 (hex, 64 chars) of the normalised value under the current key; "" for empty."""
    if value is None or not str(value).strip():
        normalise("", kind)  # still reject an unknown kind
        return ""
    return _index_with(current_keys(), str(value), kind)


def blind_indexes(value: str, kind: str) -> list[str]:
    """The index under every configured key, for lookups during a key rotation."""
    if not value or not value.strip():
        return []
    return list(dict.fromkeys(_index_with(keys, value, kind) for keys in all_keys()))


# --- masks for display ---------------------------------------------------------------------


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits: "13812341234" → "138****1234" (工信部 practice).

    Numbers shorter than 8 characters keep only their last 2.
    """
    if not value:
        return ""
    digits = normalise(value, "phone")
    if len(digits) < 8:
        return "*" * max(len(digits) - 2, 1) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id(value: str | None) -> str:
    """Keep the 6-digit region code and the last 4 characters; hide the birth date.

    "110101199003071234" → "110101********1234"; a 15-digit old number keeps 6 + last 3.
    """
    if not value:
        return ""
    number = normalise(value, "id_number")
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) == 15:
        return number[:6] + "*" * 6 + number[-3:]
    return "*" * max(len(number) - 4, 1) + number[-4:]


def mask_name(value: str | None) -> str:
    """Keep the surname: "张三" → "张*", "欧阳娜娜" → "欧***"."""
    if not value:
        return ""
    value = value.strip()
    return value[0] + "*" * max(len(value) - 1, 1)


MASKS = {"phone": mask_phone, "id_number": mask_id, "name": mask_name, "text": lambda v: "***" if v else ""}


def mask(value: str | None, kind: str) -> str:
    return MASKS[kind](value)
