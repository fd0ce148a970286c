"""Writes accounts/data/common-long-passwords.txt: long passwords people choose that Django's
list of 20,000 common passwords (mostly short) misses. Run again only to change the rules:

    .venv/bin/python scripts/make_password_list.py

Built from Django's own list, ranked by how common each is: the most common short passwords
doubled ("qwertyqwerty") and with the endings people add to reach a length rule ("password1234",
"monkey123456", "sunshine2025!"), plus well-known keyboard walks."""

import gzip
from pathlib import Path

import django.contrib.auth

DJANGO_LIST = Path(django.contrib.auth.__file__).parent / "common-passwords.txt.gz"
OUT = Path(__file__).resolve().parent.parent / "accounts" / "data" / "common-long-passwords.txt"
ENDINGS = ["1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!", "2024", "2025", "2026"]
WALKS = [
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "qwertyuiopas",
    "qwertyuiop12",
    "qwertyuiop123",
    "asdfghjkl123",
    "zxcvbnm12345",
    "zaq12wsxcde3",
    "q1w2e3r4t5y6",
    "1q2w3e4r5t6y",
    "a1b2c3d4e5f6",
    "abcdefghijkl",
    "abcdefgh1234",
    "abc123abc123",
    "123qweasdzxc",
    "qweasdzxc123",
    "password1234",
    "passw0rd1234",
    "letmein12345",
    "iloveyou1234",
    "welcome12345",
    "changeme1234",
    "administrator",
    "mentoring123",
    "mentoring1234",
]


def main() -> None:
    ranked = gzip.decompress(DJANGO_LIST.read_bytes()).decode().split()
    words = [w.lower() for w in ranked if w.isascii() and len(w) < 12]
    out: dict[str, None] = dict.fromkeys(WALKS)
    for word in words[:2500]:
        doubled = word * 2
        if len(doubled) >= 12:
            out[doubled] = None
    for word in [w for w in words if w.isalpha() and len(w) >= 6][:400]:
        for ending in ENDINGS:
            if len(word + ending) >= 12:
                out[word + ending] = None
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("".join(f"{p}\n" for p in out))
    print(f"{len(out)} passwords written to {OUT}")


if __name__ == "__main__":
    main()
