"""Images under the policy, end to end: a terminal screenshot with keys in it, drawn with Pillow,
sent through `codeveil serve` by the official SDKs; Tesseract (Debian's tesseract-ocr) reads
what reached the upstream.

redact: the upstream gets a picture of the same size in which OCR finds the public words but no
secret, and the answer comes back; allow: the picture is forwarded byte for byte; refuse: a 400 in
the API's shape and nothing forwarded. Images CodeVeil cannot read are refused (fail closed).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest
from PIL import Image, ImageDraw, ImageFont

from proxy.policy import Policy
from proxy.veil import media
from proxy.veil.engine import Veil
from proxy.wire import gemini
from proxy.wire.media import ImageSlot, read_images, redact_images
from tests.conftest import Running, Upstream, start_gateway

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"  # fonts-dejavu-core (.ci/run)
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Rk2Wd3a"
PASSWORD = "Tr0ub4dor&3xyzzy"
EMAIL = "maria.gonzalez@example.org"
SECRETS = [SECRET_KEY, PASSWORD, EMAIL]
LINES = [
    "$ cat .env",
    f"AWS_SECRET_ACCESS_KEY={SECRET_KEY}",
    f"DB_PASSWORD={PASSWORD}",
    "# deploy the billing service on Tuesday",
    f"# owner: {EMAIL}",
]
POLICY = """
name: media
terms: [Quorvex]
content_parts: {image: %s, audio: refuse, file: refuse}
"""


def screenshot(fmt: str = "PNG", size: int = 20) -> bytes:
    """A dark terminal, as agents capture it."""
    font = ImageFont.truetype(FONT, size)
    line = int(size * 1.6)
    image = Image.new("RGB", (int(size * 0.62 * 64), line * len(LINES) + 24), (30, 30, 30))
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(LINES):
        draw.text((12, 12 + line * i), text, fill=(220, 220, 220), font=font)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


PNG = screenshot()
PNG_B64 = base64.b64encode(PNG).decode()
DATA_URL = f"data:image/png;base64,{PNG_B64}"


def ocr(data: bytes) -> str:
    return media.read_image(data, None).text


def assert_redacted(data: bytes) -> None:
    """What reached the upstream: the same picture, its secrets unreadable, its prose not."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == Image.open(io.BytesIO(PNG)).size
    text = ocr(data)
    flat = "".join(text.split())
    for secret in SECRETS:
        assert secret not in flat
        # Not even a part of it: no eight characters in a row survive the paint.
        assert not any(secret[i : i + 8] in flat for i in range(len(secret) - 7)), secret
    for word in ("deploy", "billing", "Tuesday", "DB_PASSWORD", "cat"):
        assert word in text, (word, text)


def test_the_screenshot_is_readable_before_redaction():
    """The control: without the veil, OCR reads every secret (so the tests below can fail)."""
    flat = "".join(ocr(PNG).split())
    for secret in SECRETS:
        assert secret in flat.replace("TrOub", "Tr0ub"), secret


def _gateway(tmp_path_factory, upstream: Upstream, action: str) -> Running:
    return start_gateway(tmp_path_factory.mktemp(f"media-{action}"), upstream.url,
                         policy=POLICY % action)


@pytest.fixture(scope="module")
def redacting(upstream, tmp_path_factory) -> Iterator[Running]:
    gw = _gateway(tmp_path_factory, upstream, "redact")
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def allowing(upstream, tmp_path_factory) -> Iterator[Running]:
    gw = _gateway(tmp_path_factory, upstream, "allow")
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def refusing(upstream, tmp_path_factory) -> Iterator[Running]:
    gw = _gateway(tmp_path_factory, upstream, "refuse")
    yield gw
    gw.stop()


def _chat(gw: Running, url: str = DATA_URL):
    client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
    # The chat echo quotes string contents: the question goes first, the screenshot after it.
    return client.chat.completions.create(model="gpt-test", messages=[
        {"role": "user", "content": f"Why does Quorvex fail? My mail is {EMAIL}."},
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": url}}]},
    ])


def _messages(gw: Running, data: str = PNG_B64, media_type: str = "image/png"):
    client = anthropic.Anthropic(base_url=gw.url, api_key="k", max_retries=0)
    return client.messages.create(model="claude-test", max_tokens=64, messages=[
        {"role": "user", "content": [
            {"type": "text", "text": f"Why does Quorvex fail? My mail is {EMAIL}."},
            {"type": "image", "source": {"type": "base64", "media_type": media_type,
                                         "data": data}},
        ]}])


def _responses(gw: Running, url: str = DATA_URL):
    client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="k", max_retries=0)
    return client.responses.create(model="gpt-test", input=[{"role": "user", "content": [
        {"type": "input_text", "text": f"Why does Quorvex fail? My mail is {EMAIL}."},
        {"type": "input_image", "image_url": url, "detail": "auto"},
    ]}])


def _sent(upstream: Upstream) -> dict:
    (req,) = upstream.recorded()
    return req["body"]


def _sent_image(upstream: Upstream, surface: str) -> bytes:
    body = _sent(upstream)
    if surface == "chat":
        url = body["messages"][1]["content"][0]["image_url"]["url"]
    elif surface == "responses":
        url = body["input"][0]["content"][1]["image_url"]
    else:
        source = body["messages"][0]["content"][1]["source"]
        assert source["media_type"] == "image/png"
        return base64.b64decode(source["data"])
    assert url.startswith("data:image/png;base64,")
    return base64.b64decode(url.split(",", 1)[1])


SURFACES = {"chat": _chat, "messages": _messages, "responses": _responses}


@pytest.mark.parametrize("surface", SURFACES)
def test_redact_paints_over_the_secrets_and_the_request_works(surface, redacting, upstream):
    upstream.clear()
    answer = SURFACES[surface](redacting)
    assert_redacted(_sent_image(upstream, surface))
    sent = json.dumps(_sent(upstream))
    assert EMAIL not in sent and "Quorvex" not in sent
    # The echo's answer quotes the prompt: the real values come back.
    text = (answer.choices[0].message.content if surface == "chat"
            else answer.output_text if surface == "responses" else answer.content[0].text)
    assert f"Why does Quorvex fail? My mail is {EMAIL}." in text


@pytest.mark.parametrize("surface", SURFACES)
def test_allow_forwards_the_image_unchanged(surface, allowing, upstream):
    upstream.clear()
    SURFACES[surface](allowing)
    assert _sent_image(upstream, surface) == PNG


def test_refuse_answers_400_in_each_shape_and_forwards_nothing(refusing, upstream):
    upstream.clear()
    with pytest.raises(openai.BadRequestError) as err:
        _chat(refusing)
    assert err.value.code == "content_part_refused"
    with pytest.raises(openai.BadRequestError) as err:
        _responses(refusing)
    assert err.value.code == "content_part_refused"
    with pytest.raises(anthropic.BadRequestError) as err:
        _messages(refusing)
    assert err.value.body["type"] == "error"
    assert err.value.body["error"]["type"] == "invalid_request_error"
    assert "image blocks are refused" in err.value.body["error"]["message"]
    assert upstream.recorded() == []


def test_images_redact_cannot_read_are_refused(redacting, upstream):
    """By URL, undecodable, not an image format it can encode again: 400, nothing forwarded."""
    upstream.clear()
    with pytest.raises(openai.BadRequestError) as err:
        _chat(redacting, "https://example.com/shot.png")
    assert err.value.code == "image_not_inspectable"
    with pytest.raises(openai.BadRequestError) as err:
        _responses(redacting, "data:image/png;base64," + base64.b64encode(b"not a png").decode())
    assert err.value.code == "image_unreadable"
    with pytest.raises(anthropic.BadRequestError) as err:
        _messages(redacting, "%%%")
    assert "not valid base64" in err.value.body["error"]["message"]
    with pytest.raises(anthropic.BadRequestError) as err:
        _messages(redacting, PNG_B64, "image/heic")
    assert "cannot be redacted" in err.value.body["error"]["message"]
    r = httpx.post(f"{redacting.url}/v1/messages", json={
        "model": "m", "max_tokens": 8, "messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]}]})
    assert r.status_code == 400 and "by URL" in r.json()["error"]["message"]
    assert upstream.recorded() == []


# -- the pieces, in process ----------------------------------------------------------------


async def test_gemini_inline_images_are_redacted_and_file_uris_refused():
    policy = Policy(content_parts={"image": "redact"})
    body = {"contents": [{"role": "user", "parts": [
        {"text": "see"}, {"inlineData": {"mimeType": "image/png", "data": PNG_B64}}]}]}
    slots = gemini.request_slots(body, policy)
    assert [type(s) for s in slots] == [type(slots[0]), ImageSlot]
    await read_images(slots)
    _, mapping = Veil(policy, b"k" * 32).anonymize([s.get() for s in slots])
    await redact_images(slots, mapping)
    assert_redacted(base64.b64decode(body["contents"][0]["parts"][1]["inlineData"]["data"]))
    with pytest.raises(gemini.ApiError) as err:
        gemini.request_slots({"contents": [{"parts": [{"fileData": {
            "mimeType": "image/png", "fileUri": "gs://b/a.png"}}]}]}, policy)
    assert err.value.code == "image_not_inspectable"


def test_the_image_shares_the_requests_mapping():
    """One veil, one Mapping: a term of the policy is painted over in the picture and has the
    same dummy in the prompt, so the audit log and the answer see one value."""
    read = media.read_image(PNG, "image/png")
    veil = Veil(Policy(terms=("billing",)), b"k" * 32)
    anon, mapping = veil.anonymize(["the billing job", read.text])
    spans = media.sensitive_spans(mapping, read.text)
    found = [read.text[s:e] for s, e in spans]
    assert "billing" in found
    assert any(f.startswith("Tr") and f.endswith("xyzzy") for f in found), found  # DB_PASSWORD
    assert anon[0] == f"the {mapping.forward['billing']} job"
    after = ocr(media.paint(read, spans))
    assert "billing" not in after and "deploy" in after


def test_formats_are_kept_and_metadata_dropped():
    image = Image.open(io.BytesIO(PNG))
    exif = Image.Exif()
    exif[0x010E] = "internal host db03.corp.example"  # ImageDescription
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif, quality=95)
    read = media.read_image(buf.getvalue(), "image/jpeg")
    out = Image.open(io.BytesIO(media.paint(read, [])))
    assert out.format == "JPEG" and not out.getexif()
    for fmt in ("WEBP", "GIF"):
        read = media.read_image(screenshot(fmt), f"image/{fmt.lower()}")
        assert Image.open(io.BytesIO(media.paint(read, []))).format == fmt


def test_animated_images_and_decompression_bombs_are_refused(monkeypatch):
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(media.MediaError, match="animated"):
        media.read_image(buf.getvalue(), "image/gif")
    monkeypatch.setattr(media, "MAX_PIXELS", 100)
    with pytest.raises(media.MediaError) as err:
        media.read_image(PNG, "image/png")
    assert err.value.code == "image_too_large"


def test_without_tesseract_images_are_refused_with_a_clear_error(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(Path("/nonexistent/t")))
    with pytest.raises(media.MediaError) as err:
        media.read_image(PNG, "image/png")
    assert (err.value.status, err.value.code) == (500, "ocr_unavailable")
    assert "tesseract-ocr" in err.value.message
