"""Public names stay public (issue #11): a word judged private is replaced in the prompt's own
names, never inside a name reached through an import, a system header, or the language itself."""

from __future__ import annotations

import pytest

from proxy.policy import Policy
from proxy.veil.engine import Veil
from recognizers.identifiers import IdentifierRecognizer
from recognizers.identifiers.imports import package_name
from recognizers.identifiers.scan import Scan, define

KEY = b"p" * 32


@pytest.fixture(scope="module")
def veil() -> Veil:
    return Veil(Policy(), KEY)


def words(text: str) -> set[str]:
    return {text[f.start:f.end] for f in IdentifierRecognizer().analyze(text)}


TORCH = """Shapes don't line up, can you fix it?

```python
import torch.nn as nn
import torch.nn.functional as F


class MiostestelNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(128, 256)
        self.conv1 = nn.Conv2d(3, 32, 3)
        self.miostestel_conv = nn.Conv1d(16, 32, 5)

    def forward(self, x):
        return F.relu(self.miostestel_conv(self.lstm(x)))
```
"""

K8S = """Add a selector:

```go
package main

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
)

func newStepirtDepl(name string) *appsv1.Deployment {
	return &appsv1.Deployment{}
}

func main() {
	clientset := kubernetes.NewForConfigOrDie(nil)
	newDepl := newStepirtDepl("web")
	klog.Infof("created %v %v", newDepl, clientset)
}
```
"""


def test_a_private_word_is_replaced_in_own_names_but_not_inside_imported_ones(veil):
    # mechanism 1: "Depl" (from newStepirtDepl) and "Stepirt" go, appsv1.Deployment stays
    (anon,), mapping = veil.anonymize([K8S])
    assert "Stepirt" not in anon and "newDepl" not in anon
    for public in ("appsv1.Deployment", "kubernetes.NewForConfigOrDie", '"k8s.io/klog/v2"',
                   '"k8s.io/client-go/kubernetes"'):
        assert public in anon, public
    assert mapping.restore(anon) == K8S


def test_members_of_an_imported_module_keep_their_words(veil):
    (anon,), mapping = veil.anonymize([TORCH])
    assert "Miostestel" not in anon and "miostestel" not in anon
    for public in ("nn.LSTM(", "nn.Conv2d(", "nn.Conv1d(", "F.relu(", "nn.Module"):
        assert public in anon, public
    assert mapping.restore(anon) == TORCH


def test_names_reached_through_a_go_import_are_public():
    # mechanism 2: klog is what "k8s.io/klog/v2" binds, so klog.Infof is the package's
    found = words(K8S)
    assert not {"klog", "Infof", "kubernetes", "Deployment"} & found
    assert "Stepirt" in found
    assert package_name('"k8s.io/klog/v2"') == "klog"
    assert package_name("gopkg.in/yaml.v3") == "yaml"
    assert package_name("github.com/spf13/cobra") == "cobra"


CURL = """#include <stdio.h>
#include <curl/curl.h>

int main(void)
{
  CURL *curl = curl_easy_init();
  if(curl) {
    curl_easy_setopt(curl, CURLOPT_URL, "https://example.com");
    CURLcode res = curl_easy_perform(curl);
    if(res != CURLE_OK)
      fprintf(stderr, "failed: %s\\n", curl_easy_strerror(res));
    curl_easy_cleanup(curl);
  }
  return 0;
}
"""


@pytest.mark.parametrize("text", [CURL, f"What does this do?\n\n```c\n{CURL}```\n"])
def test_c_names_from_system_headers_are_public(text):
    # mechanism 2: used, never defined, with only <...> headers: the headers' names
    assert words(text) == set()


def test_c_names_of_a_project_header_stay_private():
    text = '#include <stdio.h>\n#include "zorvath_store.h"\n\nint main(void) {\n' \
           '  zorvath_store_open("x");\n  return 0;\n}\n'
    assert "zorvath" in {w.lower() for w in words(f"```c\n{text}```\n")}


@pytest.mark.parametrize("text", [
    "```rust\nfn total(xs: &[usize]) -> usize {\n    xs.iter().sum::<usize>()\n}\n```\n",
    "```csharp\nclass A { void F(string s) { if (s == null) throw new "
    "ArgumentNullException(nameof(s)); nint n = 0; } }\n```\n",
    "```c\n#ifndef FOO_H\n#define FOO_H\nsize_t count(void);\n#endif\n```\n",
])
def test_language_builtins_and_directives_are_public(text):
    # mechanism 3: primitive types, contextual keywords, preprocessor directives
    assert not {"usize", "nameof", "nint", "endif", "ifndef"} & {w.lower() for w in words(text)}


def test_rust_std_paths_are_public():
    text = ("```rust\nuse std::backtrace::Backtrace;\n\nfn backtrace_if_absent() -> Backtrace "
            "{\n    Backtrace::capture()\n}\n```\n")
    assert not any(w.lower() == "backtrace" for w in words(text))


def test_private_words_still_hidden_everywhere_in_own_code(veil):
    # the mechanisms make nothing of the prompt's own public: its words go in every spelling
    text = ("```python\nimport torch.nn as nn\n\nclass VorbelLayer(nn.Module):\n"
            "    def vorbel_step(self):\n        return VORBEL_RATE\n```\nThe vorbel layer.\n")
    (anon,), mapping = veil.anonymize([text])
    assert "vorbel" not in anon.lower()
    assert "nn.Module" in anon
    assert mapping.restore(anon) == text


def test_c_types_a_header_only_file_defines_stay_private():
    # the lexer can miss a typedef's name: what the text defines is never the headers'
    text = ("#include <stdint.h>\n#include <string.h>\n\ntypedef struct {\n    uint8_t *buf;\n"
            "} dropodrae_ring_t;\n\nstatic inline void ring_put(dropodrae_ring_t *r) {\n"
            "    memset(r->buf, 0, 4);\n}\n")
    assert "dropodrae" in {w.lower() for w in words(text)}
    assert "memset" not in words(text)


def test_dom_interfaces_are_public():
    text = ("```tsx\nexport function useXomepiortList() {\n"
            "  const listRef = useRef<HTMLUListElement>(null);\n  return listRef;\n}\n```\n")
    assert words(text) == {"Xomepiort"}


@pytest.mark.parametrize("name", ["usize", "isize", "nameof", "nint", "endif", "ifndef",
                                  "fprintf", "size_t", "HTMLCanvasElement"])
def test_builtins_are_never_private_definitions(name):
    # whatever language a bare snippet is guessed as: Rust's primitive types, C#'s contextual
    # keywords, C's directives and library, the DOM's interfaces
    scan = Scan()
    define(name, "type", None, scan)
    assert name not in scan.defs
    define("zorvath_size", "type", None, scan)
    assert "zorvath_size" in scan.defs


@pytest.mark.parametrize(("word", "proprietary"), [
    ("gtlt", False), ("xfrm", False), ("pkts", False),  # abbreviations: no vowel
    ("BRKT", True),  # capitals: may be a product's code
    ("zorvath", True), ("Kravix", True),
])
def test_a_lower_case_word_without_a_vowel_is_an_abbreviation(word, proprietary):
    from recognizers.code.vocabulary import is_proprietary_word

    assert is_proprietary_word(word) is proprietary


def test_an_abbreviation_without_a_vowel_is_not_replaced():
    # semver's `gtlt` (greater-than or less-than): no product is named without a vowel
    text = ("```javascript\nconst replaceXRange = (comp) => comp.replace(r, (ret, gtlt, M) => "
            "{\n  if (gtlt === '=') { gtlt = '' }\n  return gtlt + M\n})\n```\n")
    assert words(text) == set()


VITMATTE = """```python
from torch import nn
from .configuration_vitmatte import VitMatteConfig


class VitMatteConvStream(nn.Module):
    def __init__(self, config: VitMatteConfig):
        super().__init__()
        self.convstream_sizes = config.convstream_hidden_sizes
```
"""


def test_a_lower_case_word_the_code_writes_in_camel_case_is_judged_by_its_parts():
    # `vitmatte` and `convstream` split no dictionary way, but VitMatte and ConvStream show the
    # split: Vit (too short to judge), Matte, Conv, Stream are no company's words
    assert words(VITMATTE) == set()


def test_a_coined_word_stays_private_whatever_its_camel_case_spelling():
    # the camelCase spelling of a coined word is one part: still proprietary
    text = ("```python\nfrom .zorvath_store import ZorvathStore\n\nclass ZorvathPager:\n"
            "    zorvath_limit = 3\n```\n")
    assert {w.lower() for w in words(text)} == {"zorvath"}
    # and a word split into parts of which one is coined stays private too
    text = ("```python\nfrom .kravixmatte import KravixMatteConfig\n\n"
            "class KravixMatteModel:\n    pass\n```\n")
    assert "kravixmatte" in {w.lower() for w in words(text)}


JAVA_PLUGIN = """```java
package com.getcapacitor.plugin;

import com.getcapacitor.JSObject;
import com.getcapacitor.PluginCall;

public class CookieJar {
    public void get(PluginCall call) { call.resolve(new JSObject()); }
}
```
"""


def test_package_path_parts_are_public_in_all_mode():
    # `identifiers: all` renames the prompt's own names, but a package path (the reverse domain
    # `com.getcapacitor`) is judged by its words, like every path a file imports from
    found = {f for f in IdentifierRecognizer("all").analyze(JAVA_PLUGIN)}
    names = {JAVA_PLUGIN[f.start:f.end] for f in found}
    assert not {"com", "getcapacitor", "plugin"} & names
    assert {"CookieJar", "PluginCall"} <= names


def test_a_proprietary_word_in_a_package_path_is_still_renamed_in_all_mode():
    text = JAVA_PLUGIN.replace("getcapacitor", "haulwise")
    names = {text[f.start:f.end] for f in IdentifierRecognizer("all").analyze(text)}
    assert "haulwise" in names and "com" not in names


def test_a_bare_rust_file_is_lexed_as_rust():
    # guessed as another language, `let mut` made `mut` a variable, and its rename broke the code
    text = ("use std::sync::Arc;\n\npub struct Gate {\n    count: usize,\n}\n\nimpl Gate {\n"
            "    pub fn new(mut n: usize) -> Gate {\n        let start = 0;\n"
            "        let step = 1;\n        let limit = n;\n        n = start + step + limit;\n"
            "        Gate { count: n }\n    }\n}\n")
    names = {text[f.start:f.end] for f in IdentifierRecognizer("all").analyze(text)}
    assert "Gate" in names
    assert not {"mut", "usize", "std", "sync", "Arc"} & names


def test_a_go_package_clause_of_ordinary_words_is_public_in_all_mode():
    text = ("```go\npackage lru\n\ntype Cache struct{ size int }\n\nfunc (c *Cache) Len() int "
            "{ return c.size }\n```\n")
    names = {text[f.start:f.end] for f in IdentifierRecognizer("all").analyze(text)}
    assert "lru" not in names and "Cache" in names
    text = text.replace("package lru", "package zorvathcache")
    names = {text[f.start:f.end] for f in IdentifierRecognizer("all").analyze(text)}
    assert "zorvathcache" in names


def test_all_mode_renames_an_ordinary_name_only_where_it_is_the_whole_name():
    # `CURL *curl;` renames the variable, never the library's curl_easy_init nor the header path
    text = ("```c\n#include <curl/curl.h>\n\nint main(void) {\n  CURL *curl = curl_easy_init();\n"
            "  curl_easy_cleanup(curl);\n  return 0;\n}\n```\n")
    veil = Veil(Policy(identifiers="all"), KEY)
    (anon,), mapping = veil.anonymize([text])
    assert "curl_easy_init()" in anon and "curl_easy_cleanup(" in anon
    assert "<curl/curl.h>" in anon
    assert "CURL *curl " not in anon  # the variable itself is renamed
    assert mapping.restore(anon) == text


def test_all_mode_still_hides_a_proprietary_word_inside_longer_names():
    text = ("```python\nzorvath = load_profile()\nprint(zorvath)\n```\n"
            "The zorvath_prod profile.\n")
    veil = Veil(Policy(identifiers="all"), KEY)
    (anon,), mapping = veil.anonymize([text])
    assert "zorvath" not in anon.lower()
    assert mapping.restore(anon) == text
