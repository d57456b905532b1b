"""Images the veil can read: Tesseract's text of a picture, and solid boxes over what it hid.

``read_image`` decodes an image (PNG, JPEG, GIF, WebP), recognizes its text with Tesseract and
keeps, for every recognized word, where it lies in that text and in the picture. The text is
then anonymized with the request's other texts (one Mapping: a value is hidden in the image as
wherever else it appears); ``sensitive_spans`` says where the veil replaced something in it, and
``paint`` covers the words under those spans with solid boxes and encodes the picture again,
without its metadata (EXIF, text chunks: never inspected, so never forwarded).

OCR is best effort: a value Tesseract misreads may escape the recognizers, so a policy that
cannot accept that risk refuses images instead (see the README, "Images and documents").
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pytesseract
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from proxy.veil.engine import Mapping

# Pillow's format name for each media type an API may declare, and back.
MEDIA_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG",
               "image/gif": "GIF", "image/webp": "WEBP"}  # fmt: skip
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# Larger pictures are refused rather than decoded (a decompression bomb costs no upload).
MAX_PIXELS = 40_000_000
OCR_TIMEOUT_S = 60
# Tesseract reads text best at a cap height of ~30 px: small screenshots are read enlarged.
_UPSCALE_BELOW = 2500
# Sparse text: screenshots are terminals, editors and dialogs rather than pages; this mode also
# keeps long tokens (keys) in one word more often than the page layout mode.
_TESSERACT_CONFIG = "--psm 11"


class MediaError(Exception):
    """The image cannot be redacted safely: the request is refused (fail closed)."""

    def __init__(self, message: str, status: int = 400, code: str = "image_unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Word:
    """One recognized word: its place in the recognized text, and its box in the picture."""

    start: int
    end: int
    box: tuple[float, float, float, float]  # left, top, right, bottom, in the picture's pixels


@dataclass(frozen=True)
class ReadImage:
    """A decoded picture and what Tesseract read in it."""

    image: Image.Image
    format: str  # Pillow's name of the format it is encoded in again
    text: str
    words: tuple[Word, ...]


def decode(data: bytes, media_type: str | None) -> tuple[Image.Image, str]:
    """The picture (upright, as a viewer shows it) and the format to encode it in again."""
    declared = MEDIA_TYPES.get((media_type or "").lower()) if media_type else None
    if media_type and declared is None:
        raise MediaError(
            f"images of type '{media_type}' cannot be redacted (supported: "
            f"{', '.join(sorted(FORMATS.values()))})",
            code="unsupported_image_type",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise MediaError(f"the image is larger than {MAX_PIXELS} pixels",
                                 code="image_too_large")
            if getattr(image, "n_frames", 1) > 1:
                raise MediaError("animated images cannot be redacted: send a still image",
                                 code="unsupported_image_type")
            fmt = image.format or ""
            image.load()
    except MediaError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, SyntaxError, EOFError):
        raise MediaError("the image data could not be decoded") from None
    if fmt not in FORMATS:
        raise MediaError(f"images in {fmt or 'this'} format cannot be redacted",
                         code="unsupported_image_type")
    return ImageOps.exif_transpose(image), declared or fmt


def _for_ocr(image: Image.Image) -> tuple[Image.Image, float]:
    """A grey, dark-on-light copy, enlarged when small; and the factor it was enlarged by."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        grey = flat.convert("L")
    else:
        grey = image.convert("L")
    # Dark themes (terminals, editors): Tesseract expects dark text on a light ground.
    mean = sum(i * n for i, n in enumerate(grey.histogram())) / max(1, grey.width * grey.height)
    if mean < 128:
        grey = ImageOps.invert(grey)
    scale = 2.0 if max(grey.size) < _UPSCALE_BELOW else 1.0
    if scale != 1.0:
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)),
                           Image.Resampling.LANCZOS)
    return grey, scale


def read_image(data: bytes, media_type: str | None) -> ReadImage:
    """Decode ``data`` and recognize its text; any failure is a :class:`MediaError`."""
    image, fmt = decode(data, media_type)
    grey, scale = _for_ocr(image)
    try:
        found = pytesseract.image_to_data(grey, lang="eng", config=_TESSERACT_CONFIG,
                                          output_type=pytesseract.Output.DICT,
                                          timeout=OCR_TIMEOUT_S)
    except pytesseract.TesseractNotFoundError:
        raise MediaError(
            "CodeVeil cannot read images on this host (Tesseract is not installed: "
            "apt-get install tesseract-ocr), so the image was not sent",
            status=500, code="ocr_unavailable",
        ) from None
    except (pytesseract.TesseractError, RuntimeError, OSError):
        raise MediaError("CodeVeil could not read the text of the image, so it was not sent",
                         status=500, code="ocr_failed") from None
    found_words = [
        (word, (found["left"][i] / scale, found["top"][i] / scale,
                (found["left"][i] + found["width"][i]) / scale,
                (found["top"][i] + found["height"][i]) / scale))
        for i, word in enumerate(found["text"]) if word and word.strip()
    ]
    text, words = _layout(found_words)
    return ReadImage(image, fmt, text, tuple(words))


# Tesseract splits monospace tokens (keys, hashes) where glyphs stand apart, but a real space in
# a terminal is a whole character wide: words closer than this many character widths are one.
_JOIN_BELOW = 0.75


def _layout(found: list[tuple[str, tuple[float, float, float, float]]]) -> tuple[str, list[Word]]:
    """The recognized words as text, line by line and left to right, and where each lies in it.

    Lines are rebuilt from the boxes (sparse mode numbers them loosely). Two neighbours on a line
    are written without a space when the gap between them is narrower than a character, so that
    ``AKIA…RT`` + ``Y2…`` is read as the one key it is.
    """
    lines: list[list[tuple[str, tuple[float, float, float, float]]]] = []
    for word in sorted(found, key=lambda w: (w[1][1] + w[1][3]) / 2):
        middle = (word[1][1] + word[1][3]) / 2
        if lines:
            top = min(b[1] for _, b in lines[-1])
            bottom = max(b[3] for _, b in lines[-1])
            if top <= middle <= bottom:
                lines[-1].append(word)
                continue
        lines.append([word])
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    for n, line in enumerate(lines):
        line.sort(key=lambda w: w[1][0])
        widths = sorted((b[2] - b[0]) / len(t) for t, b in line)
        char = widths[len(widths) // 2]
        if n:
            parts.append("\n")
            pos += 1
        for k, (text, box) in enumerate(line):
            if k and box[0] - line[k - 1][1][2] >= _JOIN_BELOW * char:
                parts.append(" ")
                pos += 1
            words.append(Word(pos, pos + len(text), box))
            parts.append(text)
            pos += len(text)
    return "".join(parts), words


def sensitive_spans(mapping: Mapping, text: str) -> list[tuple[int, int]]:
    """Where the veil replaced something in ``text``, one of the texts it anonymized into
    ``mapping``: the same one-pass match, so the spans are exactly what the request hides
    (monitored values stay, redacted and pseudonymized ones go)."""
    return [(start, end) for start, end, _ in mapping.replacer.matches(text)]


def boxes(read: ReadImage, spans: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """The boxes to paint: the part of each word a span covers, with a margin of one character
    width (proportional fonts) and a few pixels (anti-aliased edges), inside the picture."""
    out = []
    w, h = read.image.size
    for start, end in spans:
        for word in read.words:
            if word.end <= start or word.start >= end:
                continue
            left, top, right, bottom = word.box
            n = word.end - word.start
            char = (right - left) / n
            x0 = left + char * (max(start, word.start) - word.start) - char
            x1 = left + char * (min(end, word.end) - word.start) + char
            pad = max(2.0, (bottom - top) * 0.15)
            x0, x1 = max(x0, left - pad), min(x1, right + pad)
            box = (max(0, int(x0)), max(0, int(top - pad)),
                   min(w - 1, int(x1 + 1)), min(h - 1, int(bottom + pad + 1)))
            out.append(box)
    return out


def paint(read: ReadImage, spans: list[tuple[int, int]]) -> bytes:
    """The picture with solid boxes over ``spans``, encoded again in its format, no metadata."""
    image = read.image
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode
                              else "RGB")
    else:
        image = image.copy()
    draw = ImageDraw.Draw(image)
    fill = (0, 0, 0, 255) if image.mode == "RGBA" else (0, 0, 0)
    for box in boxes(read, spans):
        draw.rectangle(box, fill=fill)
    if read.format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 95} if read.format in ("JPEG", "WEBP") else {}
    try:
        image.save(out, format=read.format, **options)
    except (OSError, ValueError, KeyError):
        raise MediaError("the redacted image could not be encoded again", status=500,
                         code="image_encode_failed") from None
    return out.getvalue()
