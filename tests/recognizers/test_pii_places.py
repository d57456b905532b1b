"""PII by the structure around it (issue #11, items 7-9 and 13): accounts in command output,
command arguments, SQL, URLs, paths, prompts and sentences; hosts in URLs, configuration files,
Windows shares, commands and sentences; national identifiers whose stdnum checks are stricter
than the issuers'; phone words with inflections."""

from __future__ import annotations

import pytest

from proxy.policy import Policy
from proxy.veil.engine import Veil
from recognizers.pii import PiiRecognizer
from recognizers.pii.national_ids import TYPES as ID_TYPES
from recognizers.private_hosts import PrivateHostRecognizer

R = PiiRecognizer()


def found(text: str, type_: str | None = None) -> list[str]:
    return [text[f.start:f.end] for f in R.analyze(text) if type_ is None or f.type == type_]


def users(text: str) -> list[str]:
    return found(text, "USERNAME")


def hosts(text: str) -> list[str]:
    return found(text, "HOSTNAME")


# -- accounts in tables of command output ---------------------------------------------------------

PS_AUX = """USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
root           1  0.0  0.1 812344 90212 ?        Ss   09:14   0:01 /sbin/init
vkrasko     4412 97.3 12.4 812344 90212 pts/1    Rl   09:14  42:10 python train.py
postgres     812  0.2  3.1 812344 90212 ?        Ss   09:14   0:02 postgres: checkpointer
"""
TOP = """    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
  48211 tmarsh    20   0   12.1g   9.8g  12044 R 398.0  62.3 812:10.44 java
    711 root      20   0  112344  10212   8020 S   0.3   0.1   1:02.33 sshd
"""


@pytest.mark.parametrize(("text", "user"), [(PS_AUX, "vkrasko"), (TOP, "tmarsh")])
def test_the_user_column_of_a_table_left_or_right_aligned(text, user):
    assert users(text) == [user]  # root and postgres are system accounts


def test_login_listings_without_header():
    text = ("okarimov pts/0        2025-03-03 09:12 (10.0.0.5)\n"
            "reboot   system boot  6.1.0-18-amd64   Sun Mar  2 21:58   still running\n")
    assert users(text) == ["okarimov"]


# -- accounts as command arguments -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "user"), [
    ("sudo -u hbeck psql -d reports", "hbeck"),
    ("sudo -iu hbeck", "hbeck"),
    ("su - lwojcik", "lwojcik"),
    ("$ su -c 'make install' bkramer", "bkramer"),
    ("chown -R mnovak:staff /srv/reports", "mnovak"),
    ("crontab -u pkaur -l", "pkaur"),
    ("docker exec --user dsouza -it web bash", "dsouza"),
    ("psql -U ekoval -d analytics", "ekoval"),
    ("mysql -ufbrandt -p shop", "fbrandt"),
    ("useradd -m -s /bin/bash tnguyen", "tnguyen"),
    ("usermod -aG docker tnguyen", "tnguyen"),
    ("sudo -u postgres psql -U jvarga", "jvarga"),  # the command sudo runs
    ("curl -u ajimenez:$TOKEN https://api.example.com", "ajimenez"),
    ("RUN useradd -m rkowal && echo ok", "rkowal"),
    ("USER hsaito", "hsaito"),  # a Dockerfile's user
])
def test_the_user_argument_of_a_command(text, user):
    assert user in users(text)


@pytest.mark.parametrize("text", [
    "ps aux | grep python",
    "the id of the user",
    "groups of people met",
    "sudo -u postgres psql",  # a system account
])
def test_commands_without_a_personal_account(text):
    assert users(text) == []


@pytest.mark.parametrize(("text", "user"), [
    ("GRANT SELECT, INSERT ON orders TO mzielinski;", "mzielinski"),
    ("REVOKE ALL ON invoices FROM ckozak;", "ckozak"),
    ("CREATE USER IF NOT EXISTS 'mkowal'@'%' IDENTIFIED BY 'x';", "mkowal"),
    ("ALTER ROLE trinh SET search_path = billing;", "trinh"),
])
def test_sql_grantees(text, user):
    assert users(text) == [user]


@pytest.mark.parametrize("text", [
    "Dual-use tools require clear authorization context: pentesting engagements, CTF work.",
    "We grant access to admins only after review.",
    'Use an imperative title (e.g., "Fix authentication bug in login flow").',
    "The login page times out after the login screen loads.",
])
def test_sql_and_login_words_in_prose_name_no_account(text):
    """A coding agent's own prompt says "authorization context" and "login flow": SQL keywords
    in lower case without a statement's end, and a bare "login" before a word, name nobody
    (renaming those words everywhere broke Claude Code's prompt)."""
    assert users(text) == []


@pytest.mark.parametrize(("text", "user"), [
    ("grant select on orders to kmiller;", "kmiller"),
    ("CREATE SCHEMA billing AUTHORIZATION kmiller", "kmiller"),
    ("login kmiller", "kmiller"),
])
def test_sql_in_lower_case_and_a_login_that_is_no_word_still_count(text, user):
    assert users(text) == [user]


@pytest.mark.parametrize("text", [
    "GRANT SELECT ON t TO PUBLIC;",
    "ALTER TABLE x OWNER TO app_owner;",  # a service role
    "GRANT USAGE ON SCHEMA s TO etl_writer;",
])
def test_sql_roles_that_are_no_person(text):
    assert users(text) == []


# -- accounts in URLs, paths, prompts and sentences -----------------------------------------------

@pytest.mark.parametrize(("text", "user"), [
    ("/data/users/pbianchi/exports/x.csv", "pbianchi"),
    ('File "/usr/local/home/ktanaka/venv/lib/site.py"', "ktanaka"),
    ("s3://acme-backups/home/jkrause/db.dump", "jkrause"),
    ("hdfs:///user/fmoreau/warehouse", "fmoreau"),
    ("git push origin HEAD:refs/heads/users/rkumar/fix", "rkumar"),
    ("git clone https://gitlab.acme-corp.com/fbrandt/etl-scripts.git", "fbrandt"),
    ("git@git.example.com:dmoreau/api.git", "dmoreau"),
    ("https://gist.github.com/mrabe/3f2a1b", "mrabe"),
    ("https://oauth2:glpat-xyz@gitlab.com/rmoreno/tool.git", "rmoreno"),
    ("my profile: https://github.com/mzielinski", "mzielinski"),
    ("https://pypi.org/user/ahmadk/", "ahmadk"),
    ("https://medium.com/@yuki.tanaka", "yuki.tanaka"),
    ("http://localhost:8080/~pwhite/", "pwhite"),
    ("https://api.example.com/search?user=kmalik&tab=repos", "kmalik"),
    ("https://jira.example.com/issues/?jql=assignee%3Dvmanole", "vmanole"),
    ("runas /user:ACME\\mvargas cmd", "mvargas"),
    ("Login as CONTOSO\\rlewis failed", "rlewis"),
    ("$ whoami\nlgarnier", "lgarnier"),
    ("whoami prints:\n```text\nacme\\tbaker\n```", "tbaker"),
    ("MacBook-Pro:~ pnavarro$ ls", "pnavarro"),
    ("[kwalsh@buildbox]$ make", "kwalsh"),
    ("tkim@box ~/src> make", "tkim"),  # fish
    ("JaneDoe@DESKTOP-4F2K MINGW64 ~/src/app (main)", "JaneDoe"),
    ('os.path.expanduser("~vkrasko")', "vkrasko"),
    ("My username is pkrawczyk and I can't log in.", "pkrawczyk"),
    ("I'm hjensen on GitHub", "hjensen"),
    ("log in with nbauer / hunter2", "nbauer"),
    ("Logged in as bkoenig", "bkoenig"),
    ("remote: Permission to acme/app.git denied to speskova.", "speskova"),
])
def test_users_in_urls_paths_prompts_and_sentences(text, user):
    assert user in users(text)


@pytest.mark.parametrize("text", [
    "https://github.com/pytorch/examples and https://github.com/spring-projects/spring-petclinic",
    "git clone https://github.com/tokio-rs/axum",
    "https://github.com/psf/requests",
    "GET /api/users/profile and /users/sign_in",
    "src/users/models.py",
    "running as expected",
    "the username is required",
    "Login with GitHub",
    "we host it on GitHub",
])
def test_projects_routes_and_prose_are_no_users(text):
    assert users(text) == []


# -- hosts -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "host"), [
    ("spring.datasource.url=jdbc:postgresql://giokrustis27:5432/orders", "giokrustis27"),
    ("proxy_pass http://edge-driotriom:9000;", "edge-driotriom"),
    ("      - targets:\n          - edge-thyquaesys:9187", "edge-thyquaesys"),
    ("server bixylux-web-1:8080 weight=3;", "bixylux-web-1"),
    ("[dbservers]\nvexo-db-2 ansible_host=10.0.0.9", "vexo-db-2"),
    ("The share \\\\fileserver07\\finance is gone", "fileserver07"),
    ("Server=sql-prod-07;Database=Sales;Trusted_Connection=True;", "sql-prod-07"),
    ("Data Source=SQLVEXOR01\\SQLEXPRESS;Initial Catalog=x", "SQLVEXOR01"),
    ("MONGO_URL=mongodb://mongo-0.vexra,mongo-1.vexra/?replicaSet=rs0", "mongo-1.vexra"),
    ("ansible-playbook -l web-quorn-2 site.yml", "web-quorn-2"),
    ("ssh -J bastion-ozra admin@10.0.0.5", "bastion-ozra"),
    ("kubectl drain worker-pl7x --ignore-daemonsets", "worker-pl7x"),
    ("$ ping -c 3 trovex", "trovex"),
    ("I can ssh into db07 fine, it pulls from driodryvra35.", "driodryvra35"),
    ("The host zorbrix keeps rebooting", "zorbrix"),
    ("our build server is called kelvaro", "kelvaro"),
    ("ssh: Could not resolve hostname vexbox: Name or service not known", "vexbox"),
    ('Is the server running on host "pg-zelo-01"', "pg-zelo-01"),
    ("in /etc/hosts I added 10.0.0.9 vektor-db", "vektor-db"),
    ("Mar 3 10:22:01 trovadb postgres[1]: FATAL", "trovadb"),  # a one-digit day
])
def test_hosts_by_their_place(text, host):
    assert host in hosts(text)


@pytest.mark.parametrize("text", [
    "Upgrade to python3 from python2 on ubuntu22 via pip3.",
    "```python\nfrom vekrufex2 import client\n```",
    "curl http://localhost:8080/health and redis:6379",
    "git clone https://pwatson:s3cr3t-pass@git.example.com/team/repo.git",  # a user, not a host
    "see https://docs.python.org/3/library and api.github.com:443",
    "Restart the worker on node-16",
])
def test_no_host_where_the_shape_or_place_says_otherwise(text):
    assert hosts(text) == []


@pytest.mark.parametrize(("text", "host"), [
    ("```yaml\nvault:\n  address: vault.internal\n```", "vault.internal"),
    ('```python\nDB_HOST = "postgres.internal"\n```', "postgres.internal"),
    ("```ini\n[server]\nhost = metrics.lan\n```", "metrics.lan"),
    ("Our NAS is diskstation.local", "diskstation.local"),
])
def test_one_label_under_a_private_suffix_outside_code(text, host):
    found_hosts = [text[f.start:f.end] for f in PrivateHostRecognizer().analyze(text)]
    assert found_hosts == [host]


@pytest.mark.parametrize("text", ["use threading.local for it", "Join CORP.LOCAL as a member",
                                  "```python\nx = self.local\n```"])
def test_code_qualifiers_and_zones_are_no_private_hosts(text):
    assert PrivateHostRecognizer().analyze(text) == []


def test_obfuscated_address_after_a_mail_word():
    assert found("email: lrossi at gmail.com", "EMAIL") == ["lrossi at gmail.com"]
    assert found("send an email at github.com", "EMAIL") == []


# -- national identifiers and phones --------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "type_"), [
    # a county created after its holder's birth (stdnum refuses it by its county table)
    ("身份证号码440106197603283984是真实数据", "440106197603283984", "CN_RESIDENT_ID"),
    ("另一行还有440106 19760328 3984，", "440106 19760328 3984", "CN_RESIDENT_ID"),
    # random birth-place digits, as numbers issued since 2020 have
    ("주민등록번호 670728-2970298 와", "670728-2970298", "KR_RRN"),
    ('"ni_number": "JH 65 41 26 B"', "JH 65 41 26 B", "UK_NINO"),
    ("NINO: JH654126B", "JH654126B", "UK_NINO"),
    ('"nif": "219004048"', "219004048", "PT_NIF"),
    ('"inn": "625064724977"', "625064724977", "RU_INN"),
    ("o documento 123.456.789-09 e também 48614181868.", "48614181868", "BR_CPF"),
])
def test_national_identifiers_the_issuers_accept(text, value, type_):
    assert value in found(text, type_)


@pytest.mark.parametrize("text", ["ref JH654126B", "order 219004048 shipped",
                                  "주민등록번호 670728-2970299"])
def test_identifiers_need_context_or_a_valid_check(text):
    assert not [f for f in R.analyze(text) if f.type in ID_TYPES]


@pytest.mark.parametrize(("text", "phone"), [
    ("Numer telefonu: 512 345 678", "512 345 678"),
    ("Rufnummer 089 12345-678", "089 12345-678"),
    ("My number is 0612345678, call after 6", "0612345678"),
    ("me liga no (11) 98765-4321", "(11) 98765-4321"),
])
def test_phone_words_with_inflections_and_phrases(text, phone):
    assert phone in found(text, "PHONE")


def test_hidden_and_restored_through_the_veil():
    text = ("$ sudo -u hbeck psql -h pg-zelo-01\nGRANT SELECT ON t TO mzielinski;\n"
            "runas /user:ACME\\mvargas cmd; ping trovex; our NAS is diskstation.local")
    veil = Veil(Policy.from_dict({"name": "default", "internal_domains": []}), b"k" * 32)
    [anon], mapping = veil.anonymize([text])
    for value in ("hbeck", "pg-zelo-01", "mzielinski", "mvargas", "trovex", "diskstation"):
        assert value not in anon
    assert mapping.restore(anon) == text


@pytest.mark.parametrize("text", [
    "write to jdoe @ example . com",
    "jdoe[@]vexlo[.]com",
    "Email me: tmeyer (a) vexlo (.) com",
    "jdoe＠vexlo.com",
    "lena.k@vexlo•com",
    "contact ana dot silva at vexlo dot com",
])
def test_more_spellings_of_an_address(text):
    assert len(found(text, "EMAIL")) == 1


@pytest.mark.parametrize("text", ["y = x @ w . transpose", "result = a @ b", "look at github.com"])
def test_matrix_products_and_prose_are_no_addresses(text):
    assert found(text, "EMAIL") == []


@pytest.mark.parametrize(("text", "host"), [
    ("mount -t nfs zorvex04:/export /mnt", "zorvex04"),
    ("scp backup.tgz zorvex10:/tmp/", "zorvex10"),
    ("git clone zorvex11:repos/app.git", "zorvex11"),
    ("rsync -av zorvex06::backups/ /srv/", "zorvex06"),
    ("zorvex01:5432:*:app:secretpw", "zorvex01"),  # .pgpass
    ("zorvex02,10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOx", "zorvex02"),  # known_hosts
    ("Host prod\n  ProxyJump zorvex08", "zorvex08"),
    ("server zorvex09 iburst", "zorvex09"),
    ("Warning: Permanently added 'zorvex16' (ED25519) to the list of known hosts.", "zorvex16"),
    ('    extra_hosts:\n      - "zorvamaster:10.0.0.5"', "zorvamaster"),
    ("[realms]\n ACME = {\n  kdc = zorvex07\n }", "zorvex07"),
    ("the VM runs on hypervisor zorvexb", "zorvexb"),
])
def test_hosts_in_remote_paths_and_host_files(text, host):
    assert host in hosts(text)


@pytest.mark.parametrize("text", ["aws s3 cp s3://bucket/x .", "./src:/app",
                                  "jdbc:postgresql://db.example.com:5432/x", "std::vector/2"])
def test_schemes_and_relative_paths_are_no_remotes(text):
    assert hosts(text) == []


@pytest.mark.parametrize(("text", "user"), [
    ("qzarekj:x:1002:1002::/home/other:/bin/sh", "qzarekj"),  # /etc/passwd
    ("Users\\qzarek4\\AppData", "qzarek4"),
])
def test_passwd_lines_and_relative_windows_homes(text, user):
    assert user in users(text)
