"""Text as the site search indexes and queries it, so Bangla words stay whole.

SQLite's full-text tokenizer counts only letters and digits as parts of a
word. Bangla vowel signs and the virama are combining marks, so it would cut
"রাকিব" into the consonants র, ক, ব, and a search for "রাকি" would match any
name with র followed by ক, even across two words. Spelling each Bangla mark
as ASCII letters keeps every Bangla word one token; the same spelling is
applied to what is indexed and to what is searched, so prefixes still match.
"""

import unicodedata

BANGLA = range(0x0980, 0x0A00)
JOINERS = {"\u200c": "", "\u200d": ""}  # zero-width (non-)joiners inside words


def searchable(text: str) -> str:
    """The text with each Bangla combining mark spelled as `q` and two hex digits."""
    text = unicodedata.normalize("NFC", text or "")
    out = []
    for char in text:
        if char in JOINERS:
            continue
        code = ord(char)
        if code in BANGLA and unicodedata.category(char).startswith("M"):
            out.append(f"q{code - BANGLA.start:02x}")
        else:
            out.append(char)
    return "".join(out)
