"""Private identifiers where code is quoted rather than written: REPL transcripts, instances of
private classes, diff hunk headers, SQL in literals, ORM migrations, and modules named like a
project's own part."""

from __future__ import annotations

from recognizers.code.lexer import lex
from recognizers.code.vocabulary import is_proprietary_word
from recognizers.identifiers import IdentifierRecognizer
from recognizers.identifiers.embedded import schema_names, sql_strings
from recognizers.identifiers.imports import _project_shaped


def words(text: str) -> set[str]:
    return {text[f.start:f.end] for f in IdentifierRecognizer().analyze(text)}


def test_repl_import_from_a_module_whose_names_bring_invented_words() -> None:
    text = ("```pycon\n>>> from trutrytus_core import VekrufexClient\n"
            ">>> c = VekrufexClient(timeout=5)\n>>> c.fetch_silae_frame('2024-01')\n```\n")
    assert words(text) == {"trutrytus", "Vekrufex", "silae"}


def test_third_party_imports_of_ordinary_or_brand_names_stay_public() -> None:
    for text in ("```python\nfrom tqdm import tqdm\nfor x in tqdm(rows):\n    pass\n```",
                 "```python\nfrom qdrant_client import QdrantClient\nc = QdrantClient()\n"
                 "c.upsert(points)\n```",
                 "```python\nfrom sklearn.cluster import KMeans\nk = KMeans(3)\nk.fit(x)\n```"):
        assert words(text) == set(), text


def test_members_of_an_instance_of_a_private_class() -> None:
    java = ("```java\nclass A { void f() { KrelvaxClient c = new KrelvaxClient(); "
            "c.pullVenbrisRows(); } }\n```")
    assert {"Krelvax", "Venbris"} <= words(java)
    # an instance of a public class: its members are the library's
    assert words("```python\nimport pandas as pd\ndf = pd.DataFrame()\ndf.iloc[0]\n```") == set()


def test_diff_hunk_header_names_the_enclosing_class() -> None:
    diff = ("```diff\n--- a/core.py\n+++ b/core.py\n@@ -10,7 +10,9 @@ class KygrisMapper:\n"
            "-LIMIT = 100\n+LIMIT = 500\n```")
    assert "Kygris" in words(diff)


def test_sql_opening_with_update_in_a_literal() -> None:
    code = 'x = text("UPDATE panethyk_quota SET used = 1 WHERE id = :t")'
    assert [s for _, s in sql_strings(code, lex(code, "python"))] == [
        "UPDATE panethyk_quota SET used = 1 WHERE id = :t"]
    prose = 'msg = "Update the frobnar settings first"'
    assert list(sql_strings(prose, lex(prose, "python"))) == []


def test_migration_keyword_arguments_name_models_and_tables() -> None:
    code = ("operations = [\n    migrations.CreateModel(\n        name='VraexikAllocation',\n"
            "        fields=[('id', models.AutoField(primary_key=True))],\n    ),\n]\n"
            "user = User(name='Alice')\n")
    assert [n for _, _, n in schema_names(code, lex(code, "python"))] == ["VraexikAllocation"]


def test_project_shaped_module_names() -> None:
    assert _project_shaped("trylaty_etl") and _project_shaped("zorvath_billing")
    assert not _project_shaped("tqdm")  # one invented word: as often a public package
    assert not _project_shaped("typing_extensions")  # words of the trade only
    assert not _project_shaped("langchain_core")  # a brand the vocabulary knows


def test_derived_words_need_a_common_stem() -> None:
    assert is_proprietary_word("kramas")  # krama: Webster's alone
    assert not is_proprietary_word("tokenization")
    assert not is_proprietary_word("unmarshalled")


def test_go_frames_under_the_projects_own_internal_directory() -> None:
    panic = ("panic: boom\n\ngoroutine 7 [running]:\n"
             "github.com/acme/platform/internal/vorbex.(*Scheduler).tick(0xc0001)\n"
             "\t/src/internal/vorbex/sched.go:88 +0x1f\n")
    assert "vorbex" in words(panic)
    # Node's own frames stay public
    node = ("TypeError: x\n    at Quorvax.run (/app/src/run.js:3:9)\n"
            "    at processTicks (internal/process/task_queues.js:95:5)\n")
    assert words(node) == {"Quorvax"}


def test_object_keys_of_schema_calls_are_columns() -> None:
    code = ("await queryInterface.createTable('zorvex_ledgers', {\n"
            "  id: { type: Sequelize.INTEGER, primaryKey: true },\n"
            "  quandril_score: { type: Sequelize.FLOAT },\n});\n"
            "const x = render({ title: 1 });\n")
    got = [n for _, _, n in schema_names(code, lex(code, "javascript"))]
    assert got == ["zorvex_ledgers", "id", "quandril_score"]


def test_one_line_frames_of_ipython_ruby_php_and_notebook_outputs() -> None:
    ipython = ("KeyError                                  Traceback (most recent call last)\n"
               "Cell In[4], line 1\n----> 1 r.route(ev)\n\n"
               "File ~/work/qelvin_sync/router.py:31, in Router.route(self, ev)\n")
    assert "qelvin" in words(ipython)
    ruby = "NoMethodError\n\tfrom /app/lib/trevalon/client.rb:12:in `fetch'\n"
    assert "trevalon" in words(ruby)
    php = ("PHP Fatal error: Uncaught TypeError\n#0 /var/www/src/Klorvane/Client.php(42): "
           "Klorvane\\Client->settle()\n#1 {main}\n")
    assert "Klorvane" in words(php)
    notebook = ('{"cells":[{"cell_type":"code","outputs":[{"output_type":"error","traceback":'
                '["File \\u001b[0;32m~/src/grovant_sync/core.py:12\\u001b[0m, in '
                '\\u001b[0;36mPlendarRouter.push\\u001b[0;34m(self)\\u001b[0m"]}],'
                '"source":["x = 1"]}]}')
    assert {"grovant", "Plendar"} <= words(notebook)
    # a library's frame stays public
    lib = "File /usr/lib/python3.11/site-packages/trelvak/core.py:3, in run()\n"
    assert words(lib) == set()


def test_pdb_frames_name_the_projects_modules_and_functions() -> None:
    pdb = ("```text\n> /opt/svc/drovask_sync/merge.py(57)merge_quilvo_rows()\n"
           "-> rows = load()\n(Pdb) where\n  /opt/svc/drovask_sync/cli.py(12)<module>()\n```\n")
    assert {"drovask", "quilvo"} <= words(pdb)
    lib = "> /usr/lib/python3.11/site-packages/trelvak/core.py(3)run()\n"
    assert words(lib) == set()


def test_go_test_output_of_a_local_module() -> None:
    out = ("```text\n=== RUN   TestKravlonRebalance\n--- FAIL: TestKravlonRebalance (0.00s)\n"
           "FAIL\nFAIL\tbrekashard/internal/ring\t0.012s\n```\n")
    assert {"Kravlon", "brekashard"} <= words(out)
    # a fetched module's path is not judged: its owner may well be public
    fetched = "```text\nok  \tgithub.com/spf13/cobra\t0.210s\n```\n"
    assert words(fetched) == set()


def test_names_in_a_json_log_and_in_plain_output_blocks() -> None:
    log = ('```json\n{"level": "error", "logger": "sync.trivok_worker", '
           '"msg": "task refresh_plenvar_cache raised TimeoutError"}\n```\n')
    assert {"trivok", "plenvar"} <= words(log)
    # ordinary keys and values stay, and a key is the format's own word, never a mention
    assert words('```json\n{"level": "info", "msg": "cache_hit", "retries": 0}\n```\n') == set()
    assert words('```json\n{"grovix_minor": 5, "msg": "ok"}\n```\n') == set()
    assert words("```text\n/srv/etl/plendar_steps/io.py:40: UserWarning: mismatch\n```\n") \
        == {"plendar"}


def test_coined_compounds_of_a_short_word_are_not_ordinary() -> None:
    assert is_proprietary_word("tobend") and is_proprietary_word("gitart")
    for word in ("tojson", "rawurl", "tmpdir", "addrow", "getline", "dbname"):
        assert not is_proprietary_word(word), word


def test_r_assignments_define_names_and_compound_references_are_mentions() -> None:
    text = ("```{r}\nlibrary(dplyr)\nzorvath_cohort <- read.csv(\"c.csv\")\n"
            "kravlon_summary <- function(df) df %>% summarise(m = mean(quendrix_score))\n```\n")
    assert words(text) == {"zorvath", "kravlon", "quendrix"}
    # a data file's keys name settings of another program, not definitions
    assert words("```toml\nzorvath = 1\n```\n") == set()


def test_reprs_in_notebook_outputs_name_the_projects_classes() -> None:
    nb = ('{"cells": [{"cell_type": "code", "source": ["b = load(42)\\n", "b"], "outputs": '
          '[{"output_type": "execute_result", "data": {"text/plain": '
          '["KravlonBasket(id=42, quendrix_total=3)"]}}]}], "nbformat": 4}')
    assert {"Kravlon", "quendrix"} <= words(nb)


def test_a_goroutine_dump_names_the_projects_module() -> None:
    dump = ("```text\ngoroutine 42 [chan receive]:\n"
            "example.org/kravlonqueue/internal/work.(*Pool).drain(0xc000123000)\n"
            "\t/src/internal/work/pool.go:88 +0x65\n```\n")
    assert "kravlonqueue" in words(dump)


def test_r_package_calls_stay_public() -> None:
    text = "```r\nlibrary(ggplot2)\np <- ggplot(df) + scale_fill_viridis_d()\n```\n"
    assert words(text) == set()


def test_logger_names_and_functions_of_logging_lines() -> None:
    text = ("```text\n2025-03-02 10:11:12,345 INFO [zupaegaev.scheduler:build_vemivuv:77] picked"
            " 40 rows\nWARNING:drothmil.worker:gave up after 3 tries\n"
            "WARNING:urllib3.connectionpool:Retrying\n```\nWhat do these logs tell you?")
    assert {"zupaegaev", "vemivuv", "drothmil"} <= words(text)
    assert "urllib3" not in words(text) and "connectionpool" not in words(text)


def test_prun_rows_ipython_help_and_pytest_explanations() -> None:
    prun = ("```text\n   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
            "    12000    0.612    0.000    0.901    0.000 kriotasas.py:40(jiogovel)\n```\n")
    assert {"kriotasas", "jiogovel"} <= words(prun)
    help_ = ("In [3]: brudemify?\n```text\nSignature: brudemify(frame, window: 'int' = 7) -> "
             "'Zhaekakre'\nDocstring: Rolling features.\nFile:      ~/work/gifithlib/features.py\n"
             "Type:      function\n```\n")
    assert {"brudemify", "Zhaekakre", "gifithlib"} <= words(help_)
    report = ("```text\n>       assert vegivynify([1, 2], [2, 3]) == [1, 2, 3]\n"
              "E       assert [1, 2, 2, 3] == [1, 2, 3]\n"
              "E        +  where [1, 2, 2, 3] = vegivynify([1, 2], [2, 3])\n"
              "E        +  and   3 = len([1, 2, 3])\n```\n")
    assert "vegivynify" in words(report) and "len" not in words(report)


def test_source_lines_under_an_ipython_frame() -> None:
    text = ("```text\nFile ~/work/krevrior_core/features.py:88, in build_vestind(frame, window)\n"
            "     86 def build_vestind(frame, window):\n"
            "---> 88     return frame.groupby(\"sku\").apply(thodraem)\n\nKeyError: 'sku'\n```\n")
    assert {"krevrior", "vestind", "thodraem"} <= words(text)
    assert not {"groupby", "apply", "frame"} & words(text)
