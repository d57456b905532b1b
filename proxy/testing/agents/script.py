"""The agents' scripted model, whatever API carries it: one tool call, then the answer.

The first turn of a conversation whose user text holds ``RUN: <words>`` (to the end of the
line) is a call to the shell tool the client declared, running ``printf '%s|' <words>``. Once a
tool's output comes back, the answer is ``The command printed: <output>`` (without the ``|``).
A client that declares no shell tool and edits files from the answer's text (Aider) gets an
edit writing ``<words>`` to ``codeveil-value.txt``. Any other request (a title, a summary, a
classifier) gets ``ok``, or, when it asks for JSON, the smallest object its schema allows. The
wire modules (:mod:`.anthropic`, :mod:`.responses`, :mod:`.chat`, :mod:`.gemini`) turn a
request into a :class:`Request` and a :class:`Turn` into their answer.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from dataclasses import dataclass, field
from typing import Any

MARKER = re.compile(r"RUN: ([^\r\n\"]+)")
FINAL = "The command printed: "
EDIT_FILE = "codeveil-value.txt"
SEP = "|"  # the command prints each word followed by this


@dataclass
class Request:
    """What the script needs from a request, whatever its wire format."""

    texts: list[str]  # the conversation's texts (not the tool declarations), in order
    tools: dict[str, dict[str, Any]]  # declared tool name -> its declaration
    outputs: list[str]  # tool outputs sent back, in order
    json_schema: dict[str, Any] | None = None  # set when the client asks for a JSON answer


@dataclass
class Turn:
    text: str | None = None
    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    custom_input: str | None = None  # a custom (free-form) tool's input, e.g. Codex's `exec`
    call_id: str = field(default_factory=lambda: "call_" + uuid.uuid4().hex[:24])


def texts(obj: Any, out: list[str] | None = None) -> list[str]:
    """Every string inside ``obj``, depth first."""
    out = [] if out is None else out
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, list):
        for v in obj:
            texts(v, out)
    elif isinstance(obj, dict):
        for v in obj.values():
            texts(v, out)
    return out


def output_text(obj: Any) -> str:
    """The text of a tool's output: a string, text parts, or an object holding them."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, list):
        return "\n".join(output_text(v) for v in obj)
    if isinstance(obj, dict):
        for key in ("text", "content", "output", "result"):
            if key in obj:
                return output_text(obj[key])
        return json.dumps(obj)
    return "" if obj is None else json.dumps(obj)


def declared(tools: Any, out: dict[str, dict[str, Any]] | None = None) -> dict[str, dict]:
    """Tool name -> declaration, namespaces and nested groups flattened."""
    out = {} if out is None else out
    for tool in tools if isinstance(tools, list) else []:
        if not isinstance(tool, dict):
            continue
        if isinstance(tool.get("name"), str):
            out.setdefault(tool["name"], tool)
        for key in ("tools", "functionDeclarations", "function_declarations"):
            declared(tool.get(key), out)
        if isinstance(tool.get("function"), dict):  # chat completions
            declared([tool["function"]], out)
    return out


def _shell_call(command: str, tools: dict[str, dict[str, Any]]) -> Turn | None:
    """A call to whichever shell tool the client declared (None if it declared none)."""
    if "exec" in tools and tools["exec"].get("type") == "custom":
        # Codex's default model: JavaScript that calls the nested tools.
        js = f"const r = await tools.exec_command({{cmd: {json.dumps(command)}}});\ntext(r);\n"
        return Turn(tool="exec", custom_input=js)
    if "exec_command" in tools:  # Codex with a plain tool list
        return Turn(tool="exec_command", arguments={"cmd": command})
    for name in ("Bash", "run_shell_command", "bash", "Shell", "shell", "run_command"):
        if name in tools:
            params = _properties(tools[name])
            args: dict[str, Any] = {"command": command}
            if "description" in params:
                args["description"] = "Print the value"
            if "is_background" in params:  # Gemini CLI / Qwen Code
                args["is_background"] = False
            return Turn(tool=name, arguments=args)
    return None


def _properties(tool: dict[str, Any]) -> dict[str, Any]:
    for key in ("input_schema", "parameters", "parametersJsonSchema", "inputSchema"):
        schema = tool.get(key)
        if isinstance(schema, dict):
            return schema.get("properties") or {}
    return {}


def sample(schema: Any) -> Any:
    """The smallest value a JSON schema accepts (``user`` where it is among the choices)."""
    if not isinstance(schema, dict):
        return "ok"
    if schema.get("enum"):
        return "user" if "user" in schema["enum"] else schema["enum"][0]
    kind = str(schema.get("type", "object")).lower()
    if kind == "object":
        props = schema.get("properties") or {}
        return {k: sample(v) for k, v in props.items()}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return "ok"


def next_turn(req: Request) -> Turn:
    """The scripted answer to a request."""
    if req.outputs:
        # The separators go, so the output's exact text is found only where the tool's own
        # output was kept (the agent's transcript or display), not in this answer.
        return Turn(text=FINAL + " ".join(req.outputs[-1].replace(SEP, " ").split())[:2000])
    if req.json_schema is not None:
        return Turn(text=json.dumps(sample(req.json_schema)))
    marked = [m.group(1).strip() for t in req.texts for m in MARKER.finditer(t)]
    if marked:
        words = marked[-1].split()
        call = _shell_call(f"printf '%s{SEP}' " + " ".join(map(shlex.quote, words)), req.tools)
        if call is not None:
            return call
        edit = _file_edit(marked[-1], req.texts)
        if edit is not None:
            return Turn(text=edit)
    return Turn(text="ok")


def _file_edit(words: str, convo: list[str]) -> str | None:
    """For a client that edits files from the answer's text (Aider): write ``words`` to a file."""
    prompt = "\n".join(convo)
    if "*file listing*" in prompt:  # Aider's `whole` edit format
        return f"{EDIT_FILE}\n```\n{words}\n```\n"
    if "SEARCH/REPLACE" in prompt:  # Aider's `diff` edit format
        return f"{EDIT_FILE}\n```\n<<<<<<< SEARCH\n=======\n{words}\n>>>>>>> REPLACE\n```\n"
    return None


def pieces(text: str, size: int = 3) -> list[str]:
    """``text`` in small deltas, so restoring across chunk borders is exercised."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
