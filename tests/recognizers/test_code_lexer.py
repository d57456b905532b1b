"""The code lexer (identifiers with roles, strings, comments) and the vocabulary."""

from __future__ import annotations

import pytest

from recognizers.code import lex
from recognizers.code.languages import get_parser
from recognizers.code.vocabulary import (
    identifier_words,
    is_ordinary_word,
    is_proprietary_word,
    is_public_name,
    split_identifier,
)


def roles(code: str, language: str | None) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for t in lex(code, language):
        if t.kind == "identifier":
            out.setdefault(code[t.start:t.end], set()).add((t.role, t.detail))
    return out


def has(code: str, language: str | None, name: str, role: str, detail: str | None = None) -> bool:
    got = roles(code, language).get(name, set())
    return any(r == role and (detail is None or d == detail) for r, d in got)


def texts(code: str, language: str | None, kind: str) -> list[str]:
    return [code[t.start:t.end] for t in lex(code, language) if t.kind == kind]


PY = '''import os.path as osp
from .models import Ledger
from requests import Session

RATE_BPS = 35  # basis points

class CravixPager(Session):
    limit: int = 3

    def fetch(self, item_id, *args, retries=2, **kw):
        self.count = osp.join("a", f"b{item_id}")
        x, (y, z) = 1, (2, 3)
        for row in rows:
            pass
        return sorted(kw, key=len)
'''


def test_python_roles() -> None:
    assert has(PY, "python", "osp", "import", "os.path")
    assert has(PY, "python", "Ledger", "import", ".models")
    assert has(PY, "python", "RATE_BPS", "definition", "constant")
    assert has(PY, "python", "CravixPager", "definition", "class")
    assert has(PY, "python", "limit", "definition", "field")
    assert has(PY, "python", "fetch", "definition", "method")
    for p in ("self", "item_id", "args", "retries", "kw"):
        assert has(PY, "python", p, "definition", "parameter"), p
    assert has(PY, "python", "count", "definition", "field")
    assert has(PY, "python", "join", "attribute")
    assert has(PY, "python", "key", "property_key", "kwarg:sorted")
    for v in ("x", "y", "z", "row"):
        assert has(PY, "python", v, "definition", "variable"), v
    assert has(PY, "python", "rows", "reference")
    assert "# basis points" in texts(PY, "python", "comment")
    strings = texts(PY, "python", "string")
    assert '"a"' in strings and 'f"b' in strings  # an f-string is cut around its fields
    assert has(PY, "python", "item_id", "reference")  # the name inside the f-string


def test_python_broken_code_still_yields_names() -> None:
    code = "def broken(:\n    return zorvath_total(\nclass KestruneThing\n"
    got = roles(code, "python")
    assert "zorvath_total" in got and "KestruneThing" in got
    assert ("definition", "function") in got["broken"]


JS = '''import React, { useEffect as ue } from 'react';
import { store } from "./store";
const { a, b: c } = require('lodash');
export const MAX_ITEMS = 3;
export function useVantolixDepots(id) { return fetch(`/api/${id}`).then(r => r.json()); }
class OrdersRouter extends React.Component { count = 0; render() { return null; } }
const handler = async ({ tenant }) => { obj.prop.call(x, { key: 1 }); };
'''


def test_javascript_roles() -> None:
    assert has(JS, "javascript", "React", "import", "react")
    assert has(JS, "javascript", "ue", "import", "react")
    assert has(JS, "javascript", "store", "import", "./store")
    assert has(JS, "javascript", "a", "import", "lodash")
    assert has(JS, "javascript", "MAX_ITEMS", "definition", "constant")
    assert has(JS, "javascript", "useVantolixDepots", "definition", "function")
    assert has(JS, "javascript", "id", "definition", "parameter")
    assert has(JS, "javascript", "OrdersRouter", "definition", "class")
    assert has(JS, "javascript", "render", "definition", "method")
    assert has(JS, "javascript", "handler", "definition", "function")
    assert has(JS, "javascript", "tenant", "definition", "parameter")
    assert has(JS, "javascript", "call", "attribute")
    assert has(JS, "javascript", "key", "property_key")
    imports = [t for t in lex(JS, "javascript") if t.kind == "string" and t.role == "import"]
    assert {t.detail for t in imports} == {"react", "./store"}


TS = '''import type { Depot } from "@acme/depots";
interface SablefinTableProps { rows: Depot[]; onPick?: (id: string) => void }
type Evt = { kind: "a" | "b" };
enum Mode { Fast = 1, Slow }
export class RefundService {
  private readonly rate = 2;
  constructor(private api: Api) {}
  refund(amount: number): Promise<void> { return this.api.post(amount); }
}
export const Table = ({ rows }: SablefinTableProps) => <div className="t">{rows.length}</div>;
'''


def test_typescript_and_tsx_roles() -> None:
    assert has(TS, "typescript", "SablefinTableProps", "definition", "type")
    assert has(TS, "typescript", "rows", "definition", "field")
    assert has(TS, "typescript", "Evt", "definition", "type")
    assert has(TS, "typescript", "Mode", "definition", "type")
    assert has(TS, "typescript", "Fast", "definition", "constant")
    assert has(TS, "typescript", "RefundService", "definition", "class")
    assert has(TS, "typescript", "refund", "definition", "method")
    assert has(TS, "typescript", "amount", "definition", "parameter")
    assert has(TS, "typescript", "Depot", "import", "@acme/depots")
    assert has(TS, "typescript", "className", "property_key")  # JSX: parsed as TSX


JAVA = '''package com.acme.search;

import java.util.HashMap;
import com.acme.model.Shipment;

@Service
public class CravixDocumentMapper implements Mapper {
    private static final int MAX_DOCS = 5;
    private final Repo repo;

    public Map<String, Object> toDocument(Shipment s, int... extra) {
        var doc = new HashMap<String, Object>();
        for (String k : keys) { doc.put(k, s.getId()); }
        list.forEach(x -> x.go());
        return doc;
    }
}
'''


def test_java_roles() -> None:
    assert has(JAVA, "java", "acme", "definition", "package")
    assert has(JAVA, "java", "HashMap", "import", "java.util.HashMap")
    assert has(JAVA, "java", "Shipment", "import", "com.acme.model.Shipment")
    assert has(JAVA, "java", "CravixDocumentMapper", "definition", "class")
    assert has(JAVA, "java", "MAX_DOCS", "definition", "constant")
    assert has(JAVA, "java", "repo", "definition", "field")
    assert has(JAVA, "java", "toDocument", "definition", "method")
    for p in ("s", "extra", "x"):
        assert has(JAVA, "java", p, "definition", "parameter"), p
    assert has(JAVA, "java", "doc", "definition", "variable")
    assert has(JAVA, "java", "getId", "attribute")
    assert has(JAVA, "java", "Service", "reference")


GO = '''package quota

import (
\t"context"
\tledger "git.acme.net/acme/ledger"
)

type FerrowindQuotaHandler struct {
\tStore *ledger.Store `json:"store"`
}

const MaxQuota = 5

func (h *FerrowindQuotaHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
\tq, err := loadCravixQuota(r.Context(), h.Store)
\tp := Point{X: 1}
\t_ = fmt.Errorf("x %v %v %v", q, err, p)
}
'''


def test_go_roles() -> None:
    assert has(GO, "go", "quota", "definition", "package")
    assert has(GO, "go", "ledger", "import", "git.acme.net/acme/ledger")
    assert has(GO, "go", "FerrowindQuotaHandler", "definition", "type")
    assert has(GO, "go", "Store", "definition", "field")
    assert has(GO, "go", "MaxQuota", "definition", "constant")
    assert has(GO, "go", "ServeHTTP", "definition", "method")
    assert has(GO, "go", "w", "definition", "parameter")
    assert has(GO, "go", "q", "definition", "variable")
    assert has(GO, "go", "loadCravixQuota", "reference")
    assert has(GO, "go", "Errorf", "attribute")
    assert has(GO, "go", "X", "property_key")
    paths = [t.detail for t in lex(GO, "go") if t.kind == "string" and t.role == "import"]
    assert paths == ["context", "git.acme.net/acme/ledger"]


def test_sql_shell_yaml_json() -> None:
    for grammar in ("tree_sitter_sql", "tree_sitter_bash", "tree_sitter_yaml", "tree_sitter_json"):
        pytest.importorskip(grammar)
    sql = ("CREATE TABLE IF NOT EXISTS core.obelune_entitlements (id bigserial PRIMARY KEY);\n"
           "CREATE FUNCTION vantolix_balance(acct bigint) RETURNS numeric AS $$ SELECT 1 $$ "
           "LANGUAGE sql;\n-- done\n")
    assert has(sql, "sql", "obelune_entitlements", "definition", "table")
    assert has(sql, "sql", "vantolix_balance", "definition", "function")
    assert "-- done" in texts(sql, "sql", "comment")
    sh = 'export DEPLOY_HOST=x\ndeploy_all() { rsync -az ./ "$DEPLOY_HOST:/opt"; }\n# end\n'
    assert has(sh, "shell", "DEPLOY_HOST", "definition", "variable")
    assert has(sh, "shell", "deploy_all", "definition", "function")
    assert has(sh, "shell", "rsync", "reference")
    yml = "database:\n  host_name: db.local  # primary\n"
    assert has(yml, "yaml", "host_name", "property_key")
    assert "# primary" in texts(yml, "yaml", "comment")
    assert has('{"service_name": "x"}', "json", "service_name", "property_key")


def test_regex_fallback_and_unknown_language() -> None:
    code = "class Foo extends Bar {\n  // note\n  fun run() = \"x\".len\n}\n"
    got = roles(code, "some-language-without-grammar")
    assert ("definition", "class") in got["Foo"]
    assert ("definition", "function") in got["run"]
    assert ("attribute", "") in got["len"]
    assert texts(code, None, "comment") == ["// note"]


def test_more_grammars_load() -> None:
    for lang in ("python", "javascript", "typescript", "tsx", "java", "go"):
        assert get_parser(lang) is not None, lang
    pytest.importorskip("tree_sitter_rust")
    rust = "struct Cravix { n: u32 }\nfn zorvath_go(x: u32) -> u32 { x }\n"
    got = roles(rust, "rust")
    assert ("definition", "class") in got["Cravix"]
    assert ("definition", "function") in got["zorvath_go"]


def test_non_ascii_offsets() -> None:
    code = 's = "héllo wörld"\nnäme = s  # ünïcode\n'
    toks = lex(code, "python")
    assert [code[t.start:t.end] for t in toks] == ["s", '"héllo wörld"', "näme", "s",
                                                  "# ünïcode"]


# -- vocabulary ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "words"), [
    ("HTTPServer", ["HTTP", "Server"]),
    ("getHTTPResponse2", ["get", "HTTP", "Response", "2"]),
    ("fetch_zorvath_pending", ["fetch", "zorvath", "pending"]),
    ("OBSIDRA_FEE_BPS", ["OBSIDRA", "FEE", "BPS"]),
    ("haulwise-client", ["haulwise", "client"]),
    ("useEffect", ["use", "Effect"]),
    ("IOError", ["IO", "Error"]),
    ("Ümlaut_testCase", ["Ümlaut", "test", "Case"]),
])
def test_split_identifier(name: str, words: list[str]) -> None:
    assert identifier_words(name) == words
    assert all(name[s:e] for s, e in split_identifier(name))


def test_ordinary_and_proprietary_words() -> None:
    for w in ("calculate", "total", "Repository", "Depots", "pending", "claims", "Mapper",
              "Indexer", "rollup", "oncall", "kwargs", "ctx", "json", "uuid", "webhook",
              "unmarshal", "reconcile", "entitlements", "kafka", "Fx",
              # web English no dictionary lists, and ordinary words run together
              "conv", "chans", "uconn", "pixel", "getcapacitor", "memcache", "origcols"):
        assert is_ordinary_word(w), w
    # Coinages, English words run together without code among them, and the surnames Faker
    # lists: frequent on the web or not, people's names stay private. (A surname no Faker
    # locale lists and that the web writes often, such as Kowalczyk, counts as English.)
    for w in ("Cravix", "zorvath", "Tidewick", "Haulwise", "Ferrowind", "Okafor", "Nguyen",
              "Lindqvist"):
        assert not is_ordinary_word(w), w
        assert is_proprietary_word(w), w
    assert not is_proprietary_word("Zyx")  # too short to tell


def test_public_names() -> None:
    for name in ("os", "getcwd", "len", "Decimal", "quantize", "ROUND_HALF_EVEN", "__init__",
                 "self", "astimezone"):
        assert is_public_name(name, "python"), name
    assert not is_public_name("CravixPager", "python")
    for name in ("useEffect", "useState", "document", "addEventListener", "Promise"):
        assert is_public_name(name, "typescript"), name
    for name in ("HashMap", "String", "Override", "Autowired", "toString"):
        assert is_public_name(name, "java"), name
    for name in ("fmt", "Errorf", "Context", "ServeHTTP", "make"):
        assert is_public_name(name, "go"), name
    assert is_public_name("zorvath_client", "python", imports={"zorvath_client"})
