"""The two digests newsgen computes, each with one owner.

* :func:`digest`: a short key of several parts (BLAKE2b, 128 bits), for the
  incremental cache: the parts are length-prefixed, so ``("ab", "c")`` and
  ``("a", "bc")`` differ.
* :func:`sha256`: the SHA-256 of a file's bytes, as the output manifest and
  the deploy manifest record them (a format users and CDNs can check).
"""

from __future__ import annotations

import hashlib


def digest(*parts: bytes | str) -> str:
    """A short, stable hex digest of the parts (BLAKE2b, 128 bits)."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()
