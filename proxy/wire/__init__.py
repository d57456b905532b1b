"""The API surfaces the gateway speaks: one adapter per route, listed once here.

Adding a surface means writing ``proxy/wire/<route>.py`` with every :class:`WireFormat` method
and appending it to ``WIRE_FORMATS``; the gateway registers a route for each entry.
"""

from __future__ import annotations

from proxy.wire.anthropic import AnthropicCountTokens, AnthropicMessages
from proxy.wire.base import WireFormat
from proxy.wire.chat import ChatCompletions
from proxy.wire.completions import Completions, Embeddings
from proxy.wire.gemini import GeminiGenerateContent, GeminiStreamGenerateContent
from proxy.wire.responses import Responses

WIRE_FORMATS: tuple[WireFormat, ...] = (
    ChatCompletions(),
    Completions(),
    Embeddings(),
    Responses(),
    AnthropicMessages(),
    AnthropicCountTokens(),
    GeminiGenerateContent(),
    GeminiStreamGenerateContent(),
)
