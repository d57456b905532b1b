"""PII mechanisms that generalize (issue #11, items 7-9 and 13): national identifiers by their
check digits, phones in national form by the regions the text suggests, short host names by
their place, @handles and git trailers, URL users and spelled-out e-mail addresses."""

from __future__ import annotations

import pytest

from recognizers.pii import PiiRecognizer
from recognizers.pii.hosts import looks_like_host
from recognizers.pii.national_ids import _snils
from recognizers.registry import REGISTRY

R = PiiRecognizer()


def found(text: str) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.type) for f in R.analyze(text)]


# -- national identifiers -----------------------------------------------------------------------

@pytest.mark.parametrize("text, value, type_", [
    ("身份证号是110101199003074514，能不能脱敏", "110101199003074514", "CN_RESIDENT_ID"),
    ("주민등록번호 721107-2680530를 가리고", "721107-2680530", "KR_RRN"),
    ("o CPF 143.867.300-01, que", "143.867.300-01", "BR_CPF"),
    ("СНИЛС 603-044-317 28, его", "603-044-317 28", "RU_SNILS"),
    ("sociale 2 52 01 27 495 653 51, à masquer", "2 52 01 27 495 653 51", "FR_NIR"),
    ("el DNI 62695828J, que", "62695828J", "ES_DNI"),
    # shapes plain numbers share: found beside an identifier word
    ("マイナンバー6941 6609 9813をログで", "6941 6609 9813", "JP_MY_NUMBER"),
    ("die Steuer-ID 32 205 769 810, die", "32 205 769 810", "DE_TAX_ID"),
])
def test_national_ids_with_valid_check_digits(text, value, type_):
    assert (value, type_) in found(text)


@pytest.mark.parametrize("text", [
    "order 6941 6609 9813 shipped",  # a valid My Number shape, but nothing says it is one
    "batch 32205769810 done",
    "身份证号是110101199003074515",  # wrong check digit
    "CPF 143.867.300-02",  # wrong check digits
])
def test_national_ids_need_a_valid_checksum_and_context_where_the_shape_is_plain(text):
    assert not [t for _, t in found(text) if t not in ("PHONE",)]


def test_snils_checksum():
    assert _snils("603-044-317 28") and not _snils("603-044-317 29")


def test_registry_lists_the_new_types():
    pii = next(e for e in REGISTRY if e.name == "pii")
    assert {"HOSTNAME", "CN_RESIDENT_ID", "KR_RRN", "RU_SNILS"} <= set(pii.types)


# -- phones by region ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("打王芳的手机13123456132。另外", "13123456132"),
    ("問い合わせは藤井さん（090-1234-3482）まで", "090-1234-3482"),
    ("문의는 차재호님(010-2000-4934)에게", "010-2000-4934"),
    ("Bei Fragen bitte X anrufen: 01512 3454668. Außerdem", "01512 3454668"),
    ("Le numéro est 06 12 34 73 79 pour la prod", "06 12 34 73 79"),  # French prose, no label
    ("ligue para X no (11) 96123-0990. Nos", "(11) 96123-0990"),
    ("звони X по номеру 8 (912) 345-16-98. В", "8 (912) 345-16-98"),
    ("reach me at +33 (0)1 42 68 53 00", "+33 (0)1 42 68 53 00"),
    ("desk (+44) 020 7946 0958 ext. 123", "(+44) 020 7946 0958 ext. 123"),
    ("le standard: 0033 1 42 68 53 00", "0033 1 42 68 53 00"),
    ("Tel 089/123456-78", "089/123456-78"),
    ("call 415.555.0134 x204", "415.555.0134 x204"),
    # no space between the number and the next word or particle
    ("전화번호 010-1234-5678로 연락 주세요.", "010-1234-5678"),
    ("電話は090-1234-5678です。", "090-1234-5678"),
    ("张伟的手机13800138000联系他", "13800138000"),
    # a row's country says how to read the number in its phone column
    ("INSERT INTO customers (id, country, phone) VALUES\n  (1, 'MY', '+60 12-345-1282'),\n"
     "  (2, 'AR', '+54 11.2345.7676'),\n  (3, 'AT', '0664 122233');", "0664 122233"),
    ("```csv\nid,country,mobile\n1,MY,+60 12-345-1282\n2,AR,+54 11.2345.7676\n"
     "3,SE,070-123 52 05\n```", "070-123 52 05"),
    # a signature's one-letter label
    ("Best regards\n--\nAcme GmbH\nM: 090-1234-7524\n", "090-1234-7524"),
    # a number right after a phone and its extension
    ("phone 415.555.0134 extension 2041; otherwise the desk 020 7946 0958", "020 7946 0958"),
])
def test_phones_in_national_and_international_forms(text, value):
    assert (value, "PHONE") in found(text)


@pytest.mark.parametrize("text", [
    "timestamp 1700000000 logged",
    "released 2024-01-15 10:22:01 as v1.2.3",
    "x = 12345678",
    "the hotel 0612347379 entry",  # "tel" inside a word is no phone word
    "sizes: 06 12 34 73 79",  # an English text suggests no region for a national number
    # the digits of a name, however phone-like (Claude Code's prompt names its models)
    "Haiku 4.5: 'claude-haiku-4-5-20251001'. Rufen Sie an: nie",
    "Telefon-Tabelle: build_0612347379 und v-06-12-34-73-79x",
    # a row with a country, but the column holds no phone
    "INSERT INTO orders (id, country, total_cents) VALUES\n  (1, 'AT', '0664122233');",
])
def test_plain_numbers_are_no_phones(text):
    assert not [v for v, t in found(text) if t == "PHONE"]


# -- short host names ------------------------------------------------------------------------------

def test_syslog_host_field():
    log = ("Mar  3 10:22:01 kraejort-db-07 sshd[21934]: Accepted publickey for deploy\n"
           "Mar  3 10:23:02 nutyxio21 systemd[1]: Started Daily apt upgrade.\n")
    assert {v for v, t in found(log) if t == "HOSTNAME"} == {"kraejort-db-07", "nutyxio21"}


def test_kubectl_node_column():
    table = ("NAME                 READY   STATUS    RESTARTS   AGE   IP           NODE"
             "              NOMINATED NODE\n"
             "api-7d9f8c6b5-x2kqp  1/1     Running   0          3d    10.42.1.7    trubiond-node-9"
             "   <none>\n")
    hosts = [v for v, t in found(table) if t == "HOSTNAME"]
    assert hosts == ["trubiond-node-9"]  # the pod's name, in the NAME column, stays


def test_kubectl_get_nodes_name_column():
    table = ("NAME        STATUS   ROLES           AGE   VERSION\n"
             "gpu-box-3   Ready    control-plane   12d   v1.29.2\n")
    assert ("gpu-box-3", "HOSTNAME") in found(table)


@pytest.mark.parametrize("text, host", [
    ("pg_dump -h db-rastaevon-06 -U backup app", "db-rastaevon-06"),
    ("mysql --host=sql-prod-2 -u app", "sql-prod-2"),
    ("PGHOST=warehouse7\n", "warehouse7"),
    ('{"host": "cache-zorblat", "port": 6379}', "cache-zorblat"),
])
def test_host_options_and_keys(text, host):
    assert (host, "HOSTNAME") in found(text)


@pytest.mark.parametrize("label, expected", [
    ("db-rastaevon-06", True), ("nutyxio21", True), ("localhost", False), ("read-only", False),
    ("postgres", False), ("v2", False),
])
def test_looks_like_host(label, expected):
    assert looks_like_host(label) is expected


@pytest.mark.parametrize("text, hosts", [
    ("Dec  7 10:00:01 ledgerbox sshd[1234]: Connection closed by 10.0.0.9\n", {"ledgerbox"}),
    ("# /etc/hosts\n127.0.0.1 localhost\n10.0.4.21   vaultquill vk\n10.0.4.22   ledgerdb\n",
     {"vaultquill", "ledgerdb"}),
    ("Host jumpbox-eu quillgate\n  HostName 52.17.3.9\n  User deploy\n",
     {"jumpbox-eu", "quillgate"}),
    ("PING grimbletoft (10.9.8.7) 56(84) bytes of data.\n", {"grimbletoft"}),
    ("ssh admin@fernquill 'uptime'\njkim@devbox-3:~/repo$ make test\n", {"fernquill", "devbox-3"}),
    ("      - targets: ['quillnode:9100', 'brackenhost:9100']\n", {"quillnode", "brackenhost"}),
    ("NAME         STATUS   ROLES    AGE   VERSION\nmorrowfen    Ready    master   90d   v1.29\n",
     {"morrowfen"}),
])
def test_plain_words_where_only_a_host_stands(text, hosts):
    assert {v for v, t in found(text) if t == "HOSTNAME"} == hosts


@pytest.mark.parametrize("text", [
    "Mar  3 10:22:01 localhost sshd[1]: ok\n",
    "127.0.0.1   localhost\n::1   localhost ip6-localhost ip6-loopback\n",
    "ssh ubuntu@bastion 'uptime'\njdoe@laptop:~$ ls\n",  # words: nobody's machine
    'services:\n  web:\n    environment:\n      REDIS_URL: "redis:6379"\n',
    "Host *\n  ServerAliveInterval 60\n",
    "mail me at jane@example.com or ping @devops",
    "ts = '12:30'  # not a host",
])
def test_host_places_leave_placeholders_tools_and_times_alone(text):
    assert not [v for v, t in found(text) if t == "HOSTNAME"]


def test_host_keys_leave_words_and_dotted_names_alone():
    assert not [v for v, t in found("host: localhost\nhost: db.example.com\nhost: postgres\n")
                if t == "HOSTNAME"]


# -- handles and trailers --------------------------------------------------------------------------

def test_codeowners_owners_are_users_teams_are_not():
    text = "*.tf @wpolanco\n/services/payments/ @noelia.banuelos @acme/payments\n"
    assert {v for v, t in found(text) if t == "USERNAME"} == {"wpolanco", "noelia.banuelos"}


def test_mentions_in_prose():
    assert ("gaborn85", "USERNAME") in found("Why does GitHub ask @gaborn85 to review this?")


@pytest.mark.parametrize("text", [
    "@pytest.fixture\ndef users(): ...",
    "  @Override public void run()",
    "/** @param foo the foo\n * @return bar */",
    "@media screen { a {} }",
    "npm i @types/node",
    "(@NonNull String s)",
    "public @Autowired Foo f;",
    "x = a @ b",
])
def test_code_at_words_are_no_handles(text):
    assert not [v for v, t in found(text) if t == "USERNAME"]


def test_git_trailers_and_by_possessive():
    msg = ("Co-authored-by: sylwia_szafarz <sylwia_szafarz@users.noreply.github.com>\n"
           "# generated by leonel.tamez's release script\n")
    users = {v for v, t in found(msg) if t == "USERNAME"}
    assert {"sylwia_szafarz", "leonel.tamez"} <= users


def test_url_user_and_ticket_assignee():
    assert ("jdoe42", "USERNAME") in found("git clone https://jdoe42@github.com/org/repo")
    assert ("mkowalski", "USERNAME") in found("Assignee: mkowalski\n")
    assert not [v for v, t in found("ssh://git@example.com/x") if t == "USERNAME"]


@pytest.mark.parametrize("text, user", [
    ("git clone https://pwatson:s3cr3t-pass@git.example.com/team/repo.git", "pwatson"),
    ("Dec  7 10:00:01 web-03 sshd[812]: Accepted publickey for akaur from 10.2.3.4", "akaur"),
    ("sshd[9]: Failed password for invalid user tbrandt from 203.0.113.9 port 22", "tbrandt"),
    ("pam_unix(sshd:session): session opened for user mlopez(uid=1001) by (uid=0)", "mlopez"),
    ("Dec  7 10:02:11 db-1 sudo:   okonkwo : TTY=pts/0 ; PWD=/home ; COMMAND=/bin/ls", "okonkwo"),
    ("Assignee: lchen  Reporter: rgupta  | Status: In review", "rgupta"),
    ("Reviewer: hnakamura, Due: Friday", "hnakamura"),
])
def test_users_in_urls_auth_logs_and_ticket_fields(text, user):
    assert (user, "USERNAME") in found(text)


@pytest.mark.parametrize("text", [
    "postgres://postgres:pw@db:5432/app",  # a system account
    "sshd[9]: Failed password for root from 203.0.113.9",
    "see https://example.com/docs/@latest and ftp://mirror/pub",
    "Owner: string  Reporter: none",
    "for user in users: print(user)",
])
def test_those_contexts_leave_system_accounts_words_and_code_alone(text):
    assert not [v for v, t in found(text) if t == "USERNAME"]


# -- spelled-out e-mail addresses --------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("mail jane.doe at example dot com please", "jane.doe at example dot com"),
    ("jdoe [at] example [dot] org", "jdoe [at] example [dot] org"),
    ("write to jdoe(at)example.de now", "jdoe(at)example.de"),
    ("Contact: j_doe AT corp DOT io", "j_doe AT corp DOT io"),
])
def test_obfuscated_emails(text, value):
    assert (value, "EMAIL") in found(text)


@pytest.mark.parametrize("text", ["look at github.com for it", "we met at noon dot com",
                                  "open it at main.py"])
def test_prose_with_at_is_no_email(text):
    assert not [v for v, t in found(text) if t == "EMAIL"]


def test_a_span_both_a_national_id_and_a_phone_is_the_id():
    # The type picks the dummy's format: it must not depend on the process's hash seed.
    for spans in ([(0, 14, "PHONE"), (0, 14, "RU_SNILS")], [(0, 14, "RU_SNILS"), (0, 14, "PHONE")]):
        assert [f.type for f in R._resolve(spans)] == ["RU_SNILS"]


@pytest.mark.parametrize("text, users", [
    ("| Assignee | Status |\n|----------|--------|\n| bnguyen  | open   |\n| cfoster  | done |\n",
     {"bnguyen", "cfoster"}),
    ("drwxr-xr-x  5 vkumar staff  160 Mar  1 10:00 src\n", {"vkumar"}),
    ("Fix the race.\n\nReviewed-by: rsingh\nAcked-by: @tmoreau\n", {"rsingh", "tmoreau"}),
    ("ts=2024-05-01T12:00:01Z level=info msg=login user=ncho ip=10.1.1.1\n", {"ncho"}),
    ("audit: user 'hmensah' deleted bucket logs-prod", {"hmensah"}),
    ("    reviewers: [mhassan, jlee]\n", {"mhassan", "jlee"}),
    ("owners:\n  - okowalski\n  - pdiaz\nlabels: [bug]\n", {"okowalski", "pdiaz"}),
    ("# Generated by hfischer on 2024-03-02 via scripts/gen.py", {"hfischer"}),
])
def test_users_by_the_column_key_or_trailer_they_sit_under(text, users):
    assert {v for v, t in found(text) if t == "USERNAME"} == users


@pytest.mark.parametrize("text", [
    "| User | Role |\n|------|------|\n| Alice Smith | admin |\n| n/a | none |\n",
    "-rw-r--r--  1 root  root  1204 Mar  1 10:00 README.md\n",
    "level=info user=admin msg=ok\n",
    "if user=current_user: pass",
    "members: [read, write]\n",
    "# generated by hand on Monday",
])
def test_those_structures_leave_words_and_system_accounts_alone(text):
    assert not [v for v, t in found(text) if t == "USERNAME"]


@pytest.mark.parametrize("text, user", [
    ("open '/mnt/c/Users/tvarga/project/.env'", "tvarga"),
    ("\\\\fileserver\\home$\\rkapoor\\Documents\\budget.xlsx", "rkapoor"),
    ("/nfs/home/lpetrov/.ssh/id_ed25519", "lpetrov"),
    ("crontab at /var/spool/cron/crontabs/dmorales", "dmorales"),
    ("mail spool /var/mail/gbianchi is full", "gbianchi"),
    ('{"path": "\\/home\\/ekaya\\/app\\/config.yml"}', "ekaya"),
    ("/usr/local/google/home/jzhou/src", "jzhou"),
])
def test_users_in_other_home_directories(text, user):
    assert (user, "USERNAME") in found(text)


def test_home_like_paths_of_code_are_no_users():
    assert not [v for v, t in found("GET /api/u/42/items and /var/mail/ is a directory")
                if t == "USERNAME"]
