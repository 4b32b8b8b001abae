"""Why a file's bytes are not UTF-8 text, in terms of the character the editor typed.

A file saved the Windows way (Windows-1252, Excel's plain "CSV" and Notepad's old "ANSI") writes `£` as the byte
0xa3, which UTF-8 cannot read. Naming the byte helps nobody; naming the `£` it probably is shows the editor
where to look, and the message says how to save the file again.
"""

from __future__ import annotations

from dataclasses import dataclass

UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # how a UTF-16 file ("Unicode Text" in Excel) starts


@dataclass(frozen=True)
class BadBytes:
    """Where UTF-8 reading stopped, and what the byte there probably is."""

    line: int
    column: int  # counted in bytes from the start of the line, from 1
    byte: int
    probably: str | None  # the character in Windows-1252, when it is a printable one

    def described(self) -> str:
        """'the character here is probably £, saved the Windows way (byte 0xa3)'."""
        if self.probably is None:
            return f"it holds a byte (0x{self.byte:02x}) that is not part of any character in UTF-8"
        return f"the character here is probably {self.probably}, saved the Windows way (byte 0x{self.byte:02x})"


def bad_bytes(raw: bytes, error: UnicodeDecodeError) -> BadBytes:
    """Where decoding `raw` as UTF-8 failed with `error`, and the character the byte is in Windows-1252."""
    start = error.start
    line = raw[:start].count(b"\n") + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    byte = raw[start]
    try:
        character = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # five bytes mean nothing in Windows-1252 either
        character = None
    return BadBytes(line, column, byte, character if character and character.isprintable() else None)
