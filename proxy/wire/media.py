"""Images under the policy's ``content_parts``: refused, forwarded as sent, or redacted.

Every wire adapter meets an image in its own shape (a data URL in chat and Responses, a base64
``source`` in Anthropic messages, ``inlineData`` in Gemini) and calls :func:`image_part` with
where the bytes are. Under ``redact`` the image becomes an :class:`ImageSlot`: a text slot like
any other, whose text is what Tesseract reads in the image, so the veil anonymizes it together
with the rest of the request (one Mapping: a key hidden in the prompt is hidden in the picture).
The gateway reads the images before the veil runs (:func:`read_images`, off the event loop) and
paints over what the veil replaced afterwards (:func:`redact_images`). An image CodeVeil cannot
read — given by URL or file id, undecodable, of another format, or Tesseract failing — refuses
the request (fail closed).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from typing import Any

from proxy.policy import Policy
from proxy.veil.engine import Mapping
from proxy.veil.media import FORMATS, MediaError, ReadImage, paint, read_image, sensitive_spans
from proxy.wire.base import Slot
from proxy.wire.errors import ApiError

_DATA_URL = re.compile(r"data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[^,;]*)*;base64,", re.IGNORECASE)


def refused(kind: str, param: str, what: str = "parts") -> ApiError:
    return ApiError(
        400,
        f"{kind} {what} are refused by the CodeVeil policy: their content cannot be inspected "
        "for sensitive data",
        code="content_part_refused",
        param=param,
    )


def not_inspectable(how: str, param: str) -> ApiError:
    return ApiError(
        400,
        f"the CodeVeil policy redacts images, and an image given {how} cannot be read before "
        "it leaves: send it inline (base64) instead",
        code="image_not_inspectable",
        param=param,
    )


class ImageSlot(Slot):
    """An image to redact: ``container[key]`` holds its base64 data (or a data URL of it)."""

    __slots__ = ("data_url", "media_type", "param", "read")

    def __init__(
        self, container: Any, key: Any, param: str, media_type: str | None, data_url: bool
    ) -> None:
        super().__init__(container, key)
        self.param = param
        self.media_type = media_type
        self.data_url = data_url
        self.read: ReadImage | None = None

    def _bytes(self) -> bytes:
        value = self.container[self.key]
        if self.data_url:
            value = value[_DATA_URL.match(value).end() :]
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(400, "the image data is not valid base64", code="image_unreadable",
                           param=self.param) from None

    def load(self) -> None:
        """Decode and read the image (Tesseract); blocking, so run it in a thread."""
        try:
            self.read = read_image(self._bytes(), self.media_type)
        except MediaError as e:
            raise ApiError(e.status, e.message, "invalid_request_error" if e.status < 500
                           else "veil_error", e.code, self.param) from None

    def get(self) -> str:
        if self.read is None:
            raise RuntimeError("an image slot was anonymized before it was read")
        return self.read.text

    def set(self, text: str) -> None:
        """The veil's text is not put back: the image is painted from the Mapping instead."""

    def redact(self, mapping: Mapping) -> None:
        """Paint over what the veil replaced and put the image back, encoded as it came."""
        assert self.read is not None
        try:
            data = paint(self.read, sensitive_spans(mapping, self.read.text))
        except MediaError as e:
            raise ApiError(e.status, e.message, "veil_error", e.code, self.param) from None
        encoded = base64.b64encode(data).decode("ascii")
        if self.data_url:
            encoded = f"data:{FORMATS[self.read.format]};base64,{encoded}"
        self.container[self.key] = encoded


def image_part(
    policy: Policy,
    param: str,
    out: list[Slot],
    refuse: ApiError,
    *,
    container: Any = None,
    key: Any = None,
    media_type: str | None = None,
    data_url: bool = False,
    elsewhere: str = "",
) -> None:
    """One image under the policy: raises ``refuse`` or :func:`not_inspectable`, or (redact)
    appends its slot. ``container[key]`` holds the inline data; ``elsewhere`` says how the image
    is given when it is not inline ("by URL", "by file id")."""
    action = policy.part_action("image")
    if action == "allow":
        return
    if action != "redact":
        raise refuse
    if container is None or elsewhere:
        raise not_inspectable(elsewhere or "without inline data", param)
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, str):
        raise ApiError(400, "the image data must be a string", code="image_unreadable",
                       param=param)
    if data_url:
        m = _DATA_URL.match(value)
        if m is None:
            raise not_inspectable("by URL", param)
        media_type = m.group("type")
    out.append(ImageSlot(container, key, param, media_type, data_url))


async def read_images(slots: list[Slot]) -> None:
    """Read every image to redact, in threads: Tesseract takes about a second per image."""
    images = [s for s in slots if isinstance(s, ImageSlot)]
    if images:
        await asyncio.gather(*(asyncio.to_thread(s.load) for s in images))


async def redact_images(slots: list[Slot], mapping: Mapping) -> None:
    """Paint over what the veil replaced in each image (after ``Veil.anonymize``)."""
    images = [s for s in slots if isinstance(s, ImageSlot)]
    if images:
        await asyncio.gather(*(asyncio.to_thread(s.redact, mapping) for s in images))
