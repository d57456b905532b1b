"""Regenerate ``data/python_stdlib.json``: the standard-library module names of this
interpreter and the public names they export.

Run ``python -m recognizers.code.gen_data`` after changing the Python version the gateway runs
on. Each module is imported in a child process, so nothing the modules do on import (open a
browser, print a poem, start a GUI) touches the caller.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "python_stdlib.json"

# never imported: side effects, GUIs, test suites, or heavy and useless here
_SKIP = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test",
         "lib2to3", "ensurepip", "pydoc_data", "__main__", "__hello__", "__phello__",
         "_tkinter", "xxlimited", "xxlimited_35", "xxsubtype", "msilib", "winreg", "winsound",
         "_winapi", "msvcrt", "nt", "_msi", "_overlapped", "_wmi"}

_CHILD = r"""
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
skip = set(json.loads(sys.argv[1]))
names = {}
for mod in sorted(sys.stdlib_module_names):
    if mod in skip or mod.startswith("_"):
        continue
    try:
        m = importlib.import_module(mod)
    except Exception:
        names[mod] = []
        continue
    members = [n for n in dir(m) if not n.startswith("_")]
    # members of the module's public classes too (Decimal.quantize, Path.read_text ...)
    for n in list(members):
        obj = getattr(m, n, None)
        if isinstance(obj, type) and getattr(obj, "__module__", "").split(".")[0] in (
                mod, "_" + mod, "builtins") or isinstance(obj, type) and \
                getattr(obj, "__module__", "").lstrip("_").startswith(mod):
            members.extend(a for a in dir(obj) if not a.startswith("_"))
    names[mod] = sorted(set(members))
    # submodules already loaded by the package (os.path, xml.etree ...)
    for sub, obj in list(vars(m).items()):
        if type(obj).__name__ == "module" and getattr(obj, "__name__", "").startswith(mod + "."):
            names.setdefault(obj.__name__, [n for n in dir(obj) if not n.startswith("_")])
print(json.dumps(names))
"""


def generate() -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(sorted(_SKIP))],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    modules: dict[str, list[str]] = json.loads(proc.stdout)
    import builtins

    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "modules": sorted(set(sys.stdlib_module_names) | set(modules)),
        "builtins": sorted(n for n in dir(builtins)),
        "members": {k: sorted(set(v)) for k, v in sorted(modules.items())},
    }


def main() -> None:
    data = generate()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    n = sum(len(v) for v in data["members"].values())
    print(f"wrote {OUT} ({len(data['modules'])} modules, {n} members)")


if __name__ == "__main__":
    main()
