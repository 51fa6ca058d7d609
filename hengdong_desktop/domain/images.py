"""Site photos as bytes, in pure Python: which pictures are taken (JPEG or PNG, at most
MAX_PHOTO_BYTES), what of their metadata is kept (the EXIF date taken and GPS position), and the
picture rewritten without anything else — comments, camera and owner details, thumbnails, colour
profiles, XMP, IPTC — by dropping those segments (JPEG) or chunks (PNG) and writing a new minimal
EXIF block. The pixels are not touched; scaling a large photo down is the UI's job (Qt's image
classes), before the picture comes here."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

MAX_PHOTO_BYTES = 1024 * 1024  # one stored picture, after the UI has scaled it down
MAX_PHOTO_SIDE = 8000
JPEG, PNG = "jpeg", "png"
FORMAT_LABELS = {JPEG: "JPEG", PNG: "PNG"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG chunks that decide how the picture looks; every other chunk (text, time, EXIF, profiles) goes.
_PNG_KEPT = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"gAMA", b"cHRM", b"sRGB", b"sBIT"}
_EXIF_HEADER = b"Exif\x00\x00"
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_APP14_ADOBE = 0xEE  # decides how CMYK/YCCK pixels decode: kept

# EXIF tags read and written
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATE_TIME, _DATE_TIME_ORIGINAL = 0x0132, 0x9003
_GPS_VERSION, _LAT_REF, _LAT, _LON_REF, _LON = 0, 1, 2, 3, 4
_ASCII, _RATIONAL, _BYTE, _LONG, _SHORT = 2, 5, 1, 4, 3
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


class ImageProblem(ValueError):
    """Why a file is not taken as a photo, as a sentence completing “照片…”."""


Rational = tuple[int, int]


@dataclass(frozen=True)
class Position:
    """A GPS position as EXIF holds it: reference letters and degree/minute/second rationals."""

    lat_ref: str  # N / S
    lat: tuple[Rational, Rational, Rational]
    lon_ref: str  # E / W
    lon: tuple[Rational, Rational, Rational]

    @staticmethod
    def _degrees(parts: tuple[Rational, Rational, Rational]) -> Fraction:
        d, m, s = (Fraction(n, den) for n, den in parts)
        return d + m / 60 + s / 3600

    @property
    def latitude_e6(self) -> int:
        value = round(self._degrees(self.lat) * 1_000_000)
        return -value if self.lat_ref == "S" else value

    @property
    def longitude_e6(self) -> int:
        value = round(self._degrees(self.lon) * 1_000_000)
        return -value if self.lon_ref == "W" else value


@dataclass(frozen=True)
class PhotoFacts:
    """What is known of a picture: its format and size, and the metadata that is kept."""

    image_format: str
    width: int
    height: int
    taken: str | None = None  # EXIF "YYYY:MM:DD HH:MM:SS" as written by the camera
    position: Position | None = None

    @property
    def taken_on(self) -> date | None:
        if not self.taken:
            return None
        try:
            return date(int(self.taken[0:4]), int(self.taken[5:7]), int(self.taken[8:10]))
        except ValueError:
            return None


def describe_position(latitude_e6: int | None, longitude_e6: int | None) -> str:
    """北纬27.083456°，东经112.934567° — how a stored position is shown."""
    if latitude_e6 is None or longitude_e6 is None:
        return ""
    lat = f"{'北纬' if latitude_e6 >= 0 else '南纬'}{abs(latitude_e6) / 1_000_000:.6f}°"
    lon = f"{'东经' if longitude_e6 >= 0 else '西经'}{abs(longitude_e6) / 1_000_000:.6f}°"
    return f"{lat}，{lon}"


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def image_format(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    raise ImageProblem("只能是JPEG或PNG格式的图片")


def inspect(data: bytes) -> PhotoFacts:
    """The format, size and kept metadata of a JPEG or PNG picture; ImageProblem if it is not one."""
    fmt = image_format(data)
    if fmt == JPEG:
        width, height, exif = _jpeg_facts(data)
    else:
        width, height, exif = _png_facts(data)
    if not (0 < width <= MAX_PHOTO_SIDE and 0 < height <= MAX_PHOTO_SIDE):
        raise ImageProblem(f"尺寸{width}×{height}像素不在允许范围内（每边1至{MAX_PHOTO_SIDE}像素）")
    taken, position = _read_exif(exif) if exif else (None, None)
    return PhotoFacts(fmt, width, height, taken, position)


def _segments(data: bytes) -> list[tuple[int | None, bytes, bytes]]:
    """A JPEG cut into its parts: (marker, payload, the part's bytes as in the file); the
    entropy-coded picture data after each scan header is a part with marker None."""
    out: list[tuple[int | None, bytes, bytes]] = [(0xD8, b"", data[:2])]
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF or pos + 2 > len(data):
            raise ImageProblem("文件已损坏（JPEG结构错误）")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            out.append((marker, b"", data[pos : pos + 2]))
            return out
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append((marker, b"", data[pos : pos + 2]))
            pos += 2
            continue
        if pos + 4 > len(data):
            raise ImageProblem("文件已损坏（JPEG结构错误）")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ImageProblem("文件已损坏（JPEG结构错误）")
        out.append((marker, data[pos + 4 : end], data[pos:end]))
        pos = end
        if marker == 0xDA:  # a scan: its data runs to the next marker that is not a restart or a stuffed 0xFF
            scan = pos
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= len(data):
                    raise ImageProblem("文件已损坏（JPEG数据不完整）")
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
            out.append((None, b"", data[scan:pos]))
    raise ImageProblem("文件已损坏（JPEG数据不完整）")


def _jpeg_facts(data: bytes) -> tuple[int, int, bytes | None]:
    size = None
    exif = None
    for marker, payload, _raw in _segments(data):
        if marker in _SOF and len(payload) >= 5:
            height, width = struct.unpack(">HH", payload[1:5])
            size = (width, height)
        elif marker == 0xE1 and payload.startswith(_EXIF_HEADER) and exif is None:
            exif = payload[len(_EXIF_HEADER) :]
    if size is None:
        raise ImageProblem("文件已损坏（找不到JPEG图像尺寸）")
    return size[0], size[1], exif


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out: list[tuple[bytes, bytes]] = []
    pos = len(_PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise ImageProblem("文件已损坏（PNG结构错误）")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ImageProblem("文件已损坏（PNG结构错误）")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : end])
        if zlib.crc32(kind + body) != crc:
            raise ImageProblem("文件已损坏（PNG校验错误）")
        out.append((kind, body))
        pos = end
        if kind == b"IEND":
            break
    if not out or out[0][0] != b"IHDR" or out[-1][0] != b"IEND":
        raise ImageProblem("文件已损坏（PNG结构错误）")
    return out


def _png_facts(data: bytes) -> tuple[int, int, bytes | None]:
    chunks = _chunks(data)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    exif = next((body for kind, body in chunks if kind == b"eXIf"), None)
    return width, height, exif


def _read_exif(tiff: bytes) -> tuple[str | None, Position | None]:
    """DateTimeOriginal (else DateTime) and the GPS position from a TIFF-structured EXIF block;
    whatever is malformed is simply not read."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None, None
    order = "<" if tiff[:2] == b"II" else ">"

    def ifd(offset: int) -> dict[int, tuple[int, int, bytes]]:
        """tag → (type, count, value bytes) of the IFD at `offset`."""
        if offset <= 0 or offset + 2 > len(tiff):
            return {}
        (n,) = struct.unpack(order + "H", tiff[offset : offset + 2])
        tags: dict[int, tuple[int, int, bytes]] = {}
        for i in range(min(n, 500)):
            at = offset + 2 + 12 * i
            if at + 12 > len(tiff):
                break
            tag, kind, count = struct.unpack(order + "HHI", tiff[at : at + 8])
            size = _TYPE_SIZES.get(kind, 0) * count
            if size == 0 or size > 65536:
                continue
            if size <= 4:
                value = tiff[at + 8 : at + 8 + size]
            else:
                (where,) = struct.unpack(order + "I", tiff[at + 8 : at + 12])
                if where + size > len(tiff):
                    continue
                value = tiff[where : where + size]
            tags[tag] = (kind, count, value)
        return tags

    def pointer(tags: dict[int, tuple[int, int, bytes]], tag: int) -> int:
        kind, _count, value = tags.get(tag, (0, 0, b""))
        return int(struct.unpack(order + "I", value)[0]) if kind == _LONG and len(value) == 4 else 0

    def text(tags: dict[int, tuple[int, int, bytes]], tag: int) -> str | None:
        kind, _count, value = tags.get(tag, (0, 0, b""))
        if kind != _ASCII:
            return None
        return value.split(b"\x00")[0].decode("ascii", "replace").strip() or None

    def rationals(tags: dict[int, tuple[int, int, bytes]], tag: int) -> tuple[Rational, Rational, Rational] | None:
        kind, count, value = tags.get(tag, (0, 0, b""))
        if kind != _RATIONAL or count != 3:
            return None
        numbers = struct.unpack(order + "6I", value)
        pairs = tuple((numbers[2 * i], numbers[2 * i + 1]) for i in range(3))
        if any(den == 0 for _num, den in pairs):
            return None
        return pairs  # type: ignore[return-value]

    first = ifd(int(struct.unpack(order + "I", tiff[4:8])[0]))
    exif = ifd(pointer(first, _EXIF_IFD))
    taken = text(exif, _DATE_TIME_ORIGINAL) or text(first, _DATE_TIME)
    if taken is not None and not (
        len(taken) == 19
        and taken[4] == ":"
        and taken[7] == ":"
        and taken[:4].isdigit()
        and taken[5:7].isdigit()
        and taken[8:10].isdigit()
    ):
        taken = None
    gps = ifd(pointer(first, _GPS_IFD))
    lat, lon = rationals(gps, _LAT), rationals(gps, _LON)
    lat_ref, lon_ref = text(gps, _LAT_REF), text(gps, _LON_REF)
    position = None
    if lat and lon and lat_ref in ("N", "S") and lon_ref in ("E", "W"):
        position = Position(lat_ref, lat, lon_ref, lon)  # type: ignore[arg-type]
    return taken, position


# ---------------------------------------------------------------------------------------------
# Writing: the picture with nothing but the kept metadata
# ---------------------------------------------------------------------------------------------
def minimal_exif(taken: str | None, position: Position | None) -> bytes | None:
    """A little-endian TIFF block holding only DateTimeOriginal and the GPS position (None when
    there is neither)."""
    if taken is None and position is None:
        return None
    entries0: list[tuple[int, int, int, bytes]] = []  # (tag, type, count, value) of IFD0
    exif_entries: list[tuple[int, int, int, bytes]] = []
    gps_entries: list[tuple[int, int, int, bytes]] = []
    if taken is not None:
        exif_entries.append((_DATE_TIME_ORIGINAL, _ASCII, 20, taken.encode("ascii")[:19] + b"\x00"))
    if position is not None:
        gps_entries = [
            (_GPS_VERSION, _BYTE, 4, bytes([2, 3, 0, 0])),
            (_LAT_REF, _ASCII, 2, position.lat_ref.encode("ascii") + b"\x00"),
            (_LAT, _RATIONAL, 3, b"".join(struct.pack("<II", n, d) for n, d in position.lat)),
            (_LON_REF, _ASCII, 2, position.lon_ref.encode("ascii") + b"\x00"),
            (_LON, _RATIONAL, 3, b"".join(struct.pack("<II", n, d) for n, d in position.lon)),
        ]
    # Layout: header, IFD0, Exif IFD, GPS IFD, then the values that do not fit in four bytes.
    ifds = [entries0]
    if exif_entries:
        ifds.append(exif_entries)
    if gps_entries:
        ifds.append(gps_entries)

    def ifd_size(entries: list[tuple[int, int, int, bytes]]) -> int:
        return 2 + 12 * len(entries) + 4

    pointers = int(bool(exif_entries)) + int(bool(gps_entries))  # IFD0 holds only the two pointers
    sizes = [2 + 12 * pointers + 4] + [ifd_size(e) for e in ifds[1:]]
    offsets = [8]
    for size in sizes[:-1]:
        offsets.append(offsets[-1] + size)
    data_at = offsets[-1] + sizes[-1]
    sub = 1
    if exif_entries:
        entries0.append((_EXIF_IFD, _LONG, 1, struct.pack("<I", offsets[sub])))
        sub += 1
    if gps_entries:
        entries0.append((_GPS_IFD, _LONG, 1, struct.pack("<I", offsets[sub])))
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    extra = bytearray()
    for entries in ifds:
        out += struct.pack("<H", len(entries))
        for tag, kind, count, value in sorted(entries):
            if len(value) <= 4:
                out += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
            else:
                out += struct.pack("<HHII", tag, kind, count, data_at + len(extra))
                extra += value + (b"\x00" if len(value) % 2 else b"")
        out += struct.pack("<I", 0)
    return bytes(out + extra)


def stripped(data: bytes, taken: str | None, position: Position | None) -> bytes:
    """The picture with all of its metadata removed and, if given, a minimal EXIF block with the
    date taken and the position."""
    exif = minimal_exif(taken, position)
    if image_format(data) == JPEG:
        parts = _segments(data)
        out = bytearray(parts[0][2])
        if exif is not None:
            payload = _EXIF_HEADER + exif
            out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
        for marker, _payload, raw in parts[1:]:
            if marker is not None and ((0xE0 <= marker <= 0xEF and marker != _APP14_ADOBE) or marker == 0xFE):
                continue  # APPn (EXIF, XMP, ICC, IPTC, JFIF and its thumbnail) and comments
            out += raw
        return bytes(out)
    out = bytearray(_PNG_SIGNATURE)
    for kind, body in _chunks(data):
        if kind == b"IDAT" and exif is not None:  # eXIf goes before the picture data
            out += _png_chunk(b"eXIf", exif)
            exif = None
        if kind in _PNG_KEPT:
            out += _png_chunk(kind, body)
    return bytes(out)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
