"""Logins where developers paste them from their own machines (issue #11, item 7): account
records and events, tool listings, ticket fields in other languages, homes in every spelling;
and the accounts every machine has, which stay."""

from __future__ import annotations

import pytest

from proxy.policy import default_policy_path, load_policy
from proxy.veil.engine import Veil
from proxy.veil.fakes.people import fake_username
from recognizers.pii import PiiRecognizer

R = PiiRecognizer()


def users(text: str) -> set[str]:
    return {text[f.start:f.end] for f in R.analyze(text) if f.type == "USERNAME"}


# -- account records and events -------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("$ getent group docker\ndocker:x:999:mkowal,pnowak,ubuntu\n", {"mkowal", "pnowak"}),
    ("tnguyen ALL=(ALL) NOPASSWD: ALL\n%admin ALL=(ALL) ALL\n", {"tnguyen"}),
    ("$ cat /etc/subuid\nmrossi:100000:65536\n", {"mrossi"}),
    ("$ sudo passwd -S ekarl\nekarl P 03/04/2025 0 99999 7 -1\n", {"ekarl"}),
    ("# /etc/crontab\n17 * * * * root cd / && run-parts\n*/5 * * * * jmartin /usr/bin/php x\n",
     {"jmartin"}),
    ("AllowUsers jnovak pzielinski@10.0.0.* git\nMatch User hmeier\n",
     {"jnovak", "pzielinski", "hmeier"}),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk0g1 rpatel@thinkpad-x1\n", {"rpatel"}),
    ("sshd[22]: Connection closed by authenticating user vlad.popescu 10.0.0.5 port 22\n"
     "sshd[23]: Disconnected from user lhansen 10.0.0.5 port 52144\n"
     "CRON[1234]: (fbianchi) CMD (/usr/local/bin/backup.sh)\n"
     "useradd[812]: new user: name=oyilmaz, UID=1001, GID=1001\n"
     "usermod[813]: add 'rgarcia' to group 'docker'\n"
     "passwd[912]: pam_unix(passwd:chauthtok): password changed for nsato\n",
     {"vlad.popescu", "lhansen", "fbianchi", "oyilmaz", "rgarcia", "nsato"}),
    ("zdenka is not in the sudoers file.  This incident will be reported.\n"
     "User hkowal may run the following commands on ci-03:\n", {"zdenka", "hkowal"}),
    ("type=USER_LOGIN msg=audit(1.1:8): pid=2 uid=0 msg='op=login acct=\"iivanova\" res=ok'\n",
     {"iivanova"}),
    ('10.0.0.5 - hpark [04/Mar/2025:10:12:01 +0000] "GET / HTTP/1.1" 200 512\n'
     '10.0.0.6 - - [04/Mar/2025:10:12:02 +0000] "GET / HTTP/1.1" 200 99\n', {"hpark"}),
    ("//nas/homes/x /mnt/h cifs credentials=/etc/c,uid=ghofmann,_netdev 0 0\n", {"ghofmann"}),
])
def test_account_records_and_events(text, expected):
    assert users(text) >= expected
    assert not users(text) & {"root", "admin", "ubuntu", "git", "docker"}


@pytest.mark.parametrize("text, expected", [
    ("find /home -user kmorita -name '*.log'\n", {"kmorita"}),
    ("doas -u ilopez sh\ngpasswd -a jkim3 docker\nchage -l lyuk\n", {"ilopez", "jkim3", "lyuk"}),
    ("loginctl enable-linger cmartin\nps -fu rtanaka\nlast pqin\n", {"cmartin", "rtanaka", "pqin"}),
    ("setfacl -m u:ffischer:rx /srv/data\n# owner: owalsh\nuser::rwx\nuser:rkumar:r-x\n",
     {"ffischer", "owalsh", "rkumar"}),
    ("uid=1001(wxu) gid=1001 groups=1001\nsshd: xyang [priv]\nsshd: yzhang@pts/3\n",
     {"wxu", "xyang", "yzhang"}),
    ("Owner: CORP\\aprice\n", {"aprice"}),
])
def test_more_commands_and_process_titles(text, expected):
    assert users(text) >= expected


@pytest.mark.parametrize("text, user", [
    ("log in as jkowal and run it", "jkowal"),
    ("Sign in as mlee7 first", "mlee7"),
    ("The home dir of ytanaka is full", "ytanaka"),
    ("aprice's home directory is full", "aprice"),
    ("it only works with the hnoor account", "hnoor"),
    ("sudoers drop-in /etc/sudoers.d/kpolanski has mode 0440", "kpolanski"),
    ("impersonate ilopez", "ilopez"),
])
def test_sentences_about_an_account(text, user):
    assert user in users(text)


def test_sentences_about_accounts_leave_words():
    assert not users("the home dir of the service is full; the admin account; "
                     "log in as usual; the user's home directory")


def test_personal_branches_name_their_owner_and_kinds_of_change_do_not():
    text = ("git checkout -b jkowal/fix-login\n* mlee7/wip\nremote branch origin/pnowak/x "
            "was deleted\nrefs/heads/tsato/wip\n")
    assert users(text) >= {"jkowal", "mlee7", "pnowak", "tsato"}
    assert not users("git checkout -b feature/new-ui\ngit push origin bugfix/typo\n"
                     "origin/dependabot/npm/lodash\n* release/1.2\n")


def test_verb_commands_take_only_user_verbs():
    assert not users("loginctl list-sessions\nlast -n 3\n")


@pytest.mark.parametrize("text, expected", [
    ("$ git shortlog -sn\n    42\tmlindqvist\n     9\tdependabot[bot]\n", {"mlindqvist"}),
    ("^3f2a1c9 (kszczesiak 2024-11-02 10:12:33 +0100 41) def retry(fn):\n", {"kszczesiak"}),
    ("e1f2a3b Merge pull request #412 from dvieira/fix-retry\n"
     "4b5c6d7 Merge branch 'main' into coluccios/feature-export\n", {"dvieira", "coluccios"}),
    ("  ✓ Logged in to github.com account jkowalczyk (keyring)\n"
     "  ✓ Logged in to ghe.example.net as rsantos (oauth_token)\n", {"jkowalczyk", "rsantos"}),
    ("kwiatkowsk committed 3 days ago\nsbergstrom opened this issue on Mar 4\n"
     "hnakamura approved these changes\n", {"kwiatkowsk", "sbergstrom", "hnakamura"}),
    ('ldapsearch -D "uid=ewalker,ou=people,dc=example,dc=com"\nmemberUid: bschulz\n'
     "sAMAccountName: mgarcia\n", {"ewalker", "bschulz", "mgarcia"}),
    ("GITHUB_ACTOR=dlopez\nGITLAB_USER_LOGIN=jbecker\nSUDO_USER=amorales\nENV USER rkim\n",
     {"dlopez", "jbecker", "amorales", "rkim"}),
    ('if getpass.getuser() == "lcosta":\n    DEBUG = True\n'
     'ALLOWED_USERS = ["npopov", "ahmedk"]\n', {"lcosta", "npopov", "ahmedk"}),
    ('{"assignee": {"name": "jvanderberg", "displayName": "J", "active": true}}',
     {"jvanderberg"}),
    ("C:\\data CORP\\mschulte:(OI)(CI)(F)\nRobocopy to \\\\filer\\fserna$ fails\n",
     {"mschulte", "fserna"}),
    ("username:s:CORP\\lpetersen\n", {"lpetersen"}),
])
def test_tools_that_name_who_did_what(text, expected):
    assert users(text) >= expected


@pytest.mark.parametrize("text, user", [
    ("Zugewiesen an: mweber\nPriorität: hoch\n", "mweber"),
    ("Assigné à : hbesson\n", "hbesson"),
    ("担当者: tsuzuki\n", "tsuzuki"),
    ("负责人：lixm\n", "lixm"),
    ("Исполнитель: avolkov\n", "avolkov"),
    ("Przypisany do: mnowak\n", "mnowak"),
])
def test_ticket_fields_in_other_languages(text, user):
    assert user in users(text)


def test_ticket_labels_take_no_words():
    assert not users("Verantwortlich: Team\nOwner: none\n")


@pytest.mark.parametrize("text, expected", [
    ("**Assignee:** jkowal\n**Reporter:** mlee7\n", {"jkowal", "mlee7"}),
    ("*Assignee*: pnowak\nOwner — tsato\n", {"pnowak", "tsato"}),
    ("| **Assignee** | rfischer |\n", {"rfischer"}),
    ("Assigned to hgarcia (was busy)\nThe bug is assigned to kmorita and open.\n",
     {"hgarcia", "kmorita"}),
    ("reassigned from aprice to the infra team\n", {"aprice"}),
    ("assignee=ffischer status=open\n", {"ffischer"}),
    ("The build ran as hnoor on ci-01\n", {"hnoor"}),
    ("@cmartin can you take this?\n", {"cmartin"}),
])
def test_ticket_fields_as_people_write_them(text, expected):
    assert users(text) >= expected


@pytest.mark.parametrize("text, expected", [
    ("cc: tsato, rfischer\nReviewers: gpark, hnoor\n", {"tsato", "rfischer", "gpark", "hnoor"}),
    ("on-call: uwang\nvchen is on call this week\n", {"uwang", "vchen"}),
    ("Thanks jkowal! Hi pnowak, ask wxu for access\n", {"jkowal", "pnowak", "wxu"}),
    ("On Mon, Mar 3, 2025 at 10:12 AM kmorita wrote:\n", {"kmorita"}),
    ("[10:12] <lchen2> anyone seen this?\n10:13 ffischer: deploy is stuck\n"
     "owalsh [10:14 AM]\n", {"lchen2", "ffischer", "owalsh"}),
    ("Approvers:\n- jkim3\n- kwong\n", {"jkim3", "kwong"}),
    ("Raised by sliu on 2024-03-03\n", {"sliu"}),
])
def test_chat_and_review_lines(text, expected):
    assert users(text) >= expected


def test_chat_rules_leave_prose_alone():
    assert not users("Thanks everyone! Hi there, ask me for access.\nmembers: [read, write]\n"
                     "10:12 Note: the deploy is stuck\n")


def test_markdown_table_headers_and_decorators_are_no_fields():
    assert not users("| Assignee | Status |\n|---|---|\n")
    assert not users("@dataclass\nclass A: ...\n@media screen {\n@tailwind base;\n")


@pytest.mark.parametrize("text, expected", [
    ("Permission denied for lbaker@gitlab, try kwong@bastion,lyu@db", {"lbaker", "kwong", "lyu"}),
    ("Connection to yli@10.1.2.3 closed.", {"yli"}),
    ("akim@build-07's password:", {"akim"}),
    ("REMOTE=tnguyen@build-07 make deploy", {"tnguyen"}),
])
def test_user_at_machine_without_a_domain(text, expected):
    assert users(text) >= expected


@pytest.mark.parametrize("text", [
    "npm i lodash@latest react@18 setup-node@v4",
    "uses: actions/setup-node@v4",
    "result = weights@inputs",
    "Contact sales@acme for a quote",
    "git stash apply stash@{0}",
])
def test_package_specifiers_and_products_are_no_logins(text):
    assert not users(text)


# -- tables and listings --------------------------------------------------------------------

def test_truncated_and_marked_cells_of_user_columns():
    ps = ("USER         PID %CPU COMMAND\nflorica+    3824 99.1 python\n"
          "nicolo.+    3825  0.1 bash\n")
    assert users(ps) >= {"florica", "nicolo"}
    query = (" USERNAME    SESSIONNAME   ID  STATE\n>hbesson     console        1  Active\n")
    assert users(query) == {"hbesson"}  # the header row is no login


def test_headers_capitalized_or_over_a_rule_and_name_columns_of_user_listings():
    pbs = ("Job id            Name             User              Time Use S Queue\n"
           "----------------  ---------------- ----------------  -------- - -----\n"
           "4121.pbs01        sim              kfujita           01:12:01 R batch\n")
    assert "kfujita" in users(pbs)
    local = ("PS> Get-LocalUser\nName               Enabled Description\n"
             "----               ------- -----------\nmjovanovic         True\n")
    assert "mjovanovic" in users(local)
    pods = "$ kubectl get pods\nNAME        READY   STATUS\nweb-7f9c    1/1     Running\n"
    assert not users(pods)  # a NAME column is a user's only under a command that lists users


def test_psql_and_mysql_user_columns():
    psql = (" pid  | usename  | datname\n------+----------+--------\n 2214 | nbakker  | shop\n"
            " 2290 | postgres | shop\n")
    mysql = ("+--------+-----------+\n| user   | host      |\n+--------+-----------+\n"
             "| ptorres | %        |\n+--------+-----------+\n")
    assert users(psql) == {"nbakker"}
    assert users(mysql) == {"ptorres"}


def test_ls_owner_with_a_two_word_group_and_the_listing_of_homes():
    assert "ktanaka" in users("-rw-r--r--  1 ktanaka domain users 0 Mar  3 10:12 a.txt\n")
    assert "AKrueger" in users("-rw-r--r--. 1 AKrueger AKrueger 220 Mar  3 10:12 .bash_logout\n")
    listing = "$ ls /home\nakowalski  bnguyen  lost+found\n\nThat is all."
    assert users(listing) == {"akowalski", "bnguyen"}


# -- homes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, user", [
    ("Where is it, /home/mkrueger? Not in /home/pnowak1!", "mkrueger"),
    ("copy it to ~mweber.", "mweber"),
    ("glob /home/rfischer* first", "rfischer"),
    ("C:\\Users\\DRAHOS~1\\AppData\\Local\\Temp", "DRAHOS~1"),
    ("C:\\Users\\Jürgen\\Documents", "Jürgen"),
    ("/Users/Łukasz/x", "Łukasz"),
    ('"{\\"path\\": \\"C:\\\\\\\\Users\\\\\\\\ldubois\\\\\\\\repo\\"}"', "ldubois"),
    ("file:///c%3A/Users/pmartins/src/a.py", "pmartins"),
    ("C:¥Users¥tanaka.h¥Desktop", "tanaka.h"),
    ("/home/CORP/lfischer/projects", "lfischer"),
    ("/Volumes/Macintosh HD/Users/slambert/Desktop", "slambert"),
    ("/run/desktop/mnt/host/c/Users/pwozniak/src", "pwozniak"),
    ("vscode-remote://wsl+Ubuntu/home/fgarnier/src/app.py", "fgarnier"),
    ("hdfs dfs -ls hdfs://namenode:8020/user/akovalenko/events/", "akovalenko"),
    ("cd /scratch/mvoronin/runs/exp12", "mvoronin"),
    ("/afs/cern.ch/user/j/jkowalsk/public/a.C", "jkowalsk"),
    ("/tmp/pytest-of-mhernandez/pytest-12/x", "mhernandez"),
    ("/tmp/hsperfdata_tlindgren/4412", "tlindgren"),
    ("mounted at /media/bstepanek/KINGSTON/backup", "bstepanek"),
    ("path=%2Fhome%2Fdvolkov%2Fdata%2Fx.csv", "dvolkov"),
])
def test_homes_in_every_spelling(text, user):
    assert user in users(text)


@pytest.mark.parametrize("text", [
    "/home/runner/work/app/app and C:\\Users\\runneradmin\\AppData\\Local\\Temp",
    "C:\\Users\\Public\\Documents and C:\\Users\\Default\\NTUSER.DAT and C:\\Users\\All Users",
    "/home/gitpod/.cache /home/cloud-user/app /home/ubuntu/x /Users/Shared/x",
    "Django serves /media/uploads/avatar.png and /scratch/data/tmp",
])
def test_accounts_every_machine_has_and_web_folders_stay(text):
    assert not users(text)


# -- the veil -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def veil():
    return Veil(load_policy(default_policy_path()), b"k" * 32)


def test_a_login_found_once_is_replaced_in_every_letter_case(veil):
    text = "Path: /home/jdoe4/x. Also JDOE4 and Jdoe4, but not jdoe45."
    out, mapping = veil.anonymize([text])
    assert "jdoe4" not in out[0].lower().replace("jdoe45", "")
    assert "jdoe45" in out[0]
    assert mapping.restore(out[0]) == text


def test_logins_in_other_scripts_get_latin_dummies():
    from random import Random

    fake = fake_username("Ирина", Random(1), "anna", "berg")
    assert fake.isascii() and fake != "ирина"


def test_logins_in_mentions_with_digits_or_dots_vscode_uris_and_author_filters() -> None:
    from recognizers.context import DetectionContext
    from recognizers.pii import PiiRecognizer

    def users(text: str) -> list[str]:
        return [text[f.start:f.end] for f in PiiRecognizer().analyze(DetectionContext(text))
                if f.type == "USERNAME"]

    assert users("@ahmed92 can you review?") == ["ahmed92"]
    assert users("@li.wei can you review?") == ["li.wei"]
    assert users("vscode-remote://ssh-remote+kvasquez@box/home") == ["kvasquez"]
    assert users("git log --author=kvasquez --since=2.weeks") == ["kvasquez"]
    # decorators, doc tags, at-rules and placeholders stay
    for text in ("@param x the value", "@media screen {", '@app.route("/")',
                 "p4 changes --user=current", "x-author=foo"):
        assert users(text) == [], text


def test_a_placeholder_handle_in_a_markdown_link_is_no_login() -> None:
    from recognizers.context import DetectionContext
    from recognizers.pii import PiiRecognizer

    text = "tag a plugin using `[@plugin-name](plugin://{{plugin_id}})` (Codex's own prompt)"
    assert [f for f in PiiRecognizer().analyze(DetectionContext(text))
            if f.type == "USERNAME"] == []
