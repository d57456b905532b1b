"""The query path of the lexer (recognizers/code/queries.py) gives the walk's tokens exactly.

Clean parses in Python, JavaScript, TypeScript/TSX, Java and Go take the query path: one
tree-sitter query finds comments, strings and identifiers, and role patterns stand for the
language's role function. These tests lex each snippet both ways and compare every token
(offsets, kind, role, detail), and check that the query path was the one taken.
"""

from __future__ import annotations

import pytest

from recognizers.code import lex
from recognizers.code.languages import get_parser
from recognizers.code.queries import query_lex
from recognizers.code.roles import role_for, rules_for
from recognizers.code.tokens import Token
from recognizers.code.treesitter import WalkContext, walk
from tests.recognizers.test_code_lexer import GO, JAVA, JS, PY, TS

PY_MORE = '''from __future__ import annotations
import a.b.c as d, e
from .x import (y as z, w)

@dataclass
class Ledger(Base, metaclass=Meta):
    LIMIT: int = 3
    rows = []

    @property
    def total(self, *items: int, key=None, **opts) -> int:
        self._cache = cls.other = {}
        first, (second, *rest) = items
        if (n := len(rest)) > 2:
            return f"{first!r} and {second.name:>{n}} {'x'}"
        with open(path) as fh, lock:
            pass
        return sum(x for x in rest if x), lambda q, r=1: q

type Alias = list[int]
MAX_RETRIES = 5
value = compute(limit=MAX_RETRIES, retry=lambda: 0)
for i, (k, v) in enumerate(pairs):
    print(i, k, v, sep="")
'''

JS_MORE = '''const { readFile, promises: fsp } = require('fs');
import * as path from "node:path";
export { Ledger as default } from './ledger';
export const API_URL = `https://${host}/v${version}/api`;
class Store extends Base {
  #secret = 1;
  static count = 0;
  get size() { return this.#secret; }
  async *rows({ limit = 10, ...rest }, [first, , third]) {
    label: for (const [k, v] of Object.entries(rest)) { yield k ?? v; }
  }
}
const handler = async (event, context) => ({ ok: true, id: event?.detail?.id });
try { run(); } catch (err) { log(err.message); }
'''

TSX_MORE = '''import React, { type FC } from "react";
enum Color { Red = 1, Green }
interface Props<T> { items: T[]; onPick?: (item: T) => void }
type Maybe<T> = T | null;
abstract class Repo<T> implements Source { abstract find(id: string): Promise<T>; }
export const Picker: FC<Props<string>> = ({ items, onPick }) => (
  <ul className="list" data-id={items.length}>{items.map((i) => <li key={i}>{i}</li>)}</ul>
);
'''

JAVA_MORE = '''package com.acme.billing.core;

import static java.util.Map.entry;
import java.util.*;
import com.acme.ledger.LedgerClient;

@Service(value = "billing")
public record Invoice(String id, long cents) implements Comparable<Invoice> {
    private static final int MAX_LINES = 40;
    private final LedgerClient client;
    public <T extends Number> T total(List<? super T> parts, T... more) {
        for (var part : parts) { client.post(part::toString); }
        try (var in = open(path)) { return Invoice.this.cents; }
        catch (IOException | RuntimeException e) { throw new IllegalStateException(e); }
        Runnable r = () -> {}; Function<Integer, Integer> f = x -> x + 1;
        return switch (kind) { case A -> 1; default -> 2; };
    }
    enum Kind { A, B }
}
'''

GO_MORE = '''package ledger

import (
	"context"
	pb "github.com/acme/ledger/gen/ledgerpb"
)

type Client[T any] struct {
	conn *grpc.ClientConn
	opts []Option
}

func (c *Client[T]) Post(ctx context.Context, entries ...pb.Entry) (n int, err error) {
	for i, e := range entries {
		total, ok := sums[e.Account]
		if !ok { continue }
		n += i + total
	}
	cfg := Config{Timeout: 3, Retries: retries}
	var x, y = 1, 2
	const Limit = 10
loop:
	for { break loop }
	return n, nil
}
'''

CASES = [
    ("python", PY), ("python", PY_MORE), ("javascript", JS), ("javascript", JS_MORE),
    ("tsx", TS), ("tsx", TSX_MORE), ("typescript", TSX_MORE.split("export const")[0]),
    ("java", JAVA),
    ("java", JAVA_MORE), ("go", GO), ("go", GO_MORE),
    ("python", "naïve = 'café'  # ünïcode\nclass Ünï: pass\nprint(naïve.upper())\n"),
]


def _walked(code: str, language: str) -> list[Token]:
    data = code.encode()
    tree = get_parser(language).parse(data)  # type: ignore[union-attr]
    ctx = WalkContext(code, data, language)
    walk(tree, ctx, role_for(language))
    return sorted(ctx.out)


def _queried(code: str, language: str) -> list[Token] | None:
    data = code.encode()
    tree = get_parser(language).parse(data)  # type: ignore[union-attr]
    ctx = WalkContext(code, data, language)
    rules = rules_for(language)
    assert rules is not None
    if not query_lex(tree, ctx, tree.language, rules, role_for(language)):
        return None
    return sorted(ctx.out)


@pytest.mark.parametrize(("language", "code"), CASES)
def test_query_path_gives_the_walks_tokens(language: str, code: str) -> None:
    queried = _queried(code, language)
    assert queried is not None, "a clean parse takes the query path"
    walked = _walked(code, language)
    assert queried == walked
    assert lex(code, language) == walked
    # the snippets are meant to exercise roles, not only references
    assert len({t.role for t in walked if t.kind == "identifier"}) >= 3


def test_a_parse_with_errors_goes_to_the_walk() -> None:
    code = "def broken(:\n    return foo.bar(\n"
    assert get_parser("python").parse(code.encode()).root_node.has_error  # type: ignore
    assert _queried(code, "python") is None
    assert lex(code, "python") == _walked(code, "python")


def test_languages_without_rules_use_the_walk() -> None:
    assert rules_for("rust") is None and rules_for("yaml") is None
    code = "fn main() { let total = compute(3); }\n"
    assert lex(code, "rust") == _walked(code, "rust")
