"""Hosts across a network's files and tools, and phones in chat (issue #11, items 9 and 13):
names before their address, HAProxy servers, YAML host lists, shares, LDAP DNs, CJK sentences,
fleet names in sentences, company internal zones; phone numbers with extensions, in lists and in
national forms with local separators."""

from __future__ import annotations

import pytest

from proxy.policy import Policy
from proxy.veil.engine import Veil
from recognizers.context import DetectionContext
from recognizers.pii import PiiRecognizer
from recognizers.private_hosts import PrivateHostRecognizer

R = PiiRecognizer()
P = PrivateHostRecognizer()


def found(text: str, type_: str) -> list[str]:
    return [text[f.start:f.end] for f in R.analyze(DetectionContext(text)) if f.type == type_]


def hosts(text: str) -> list[str]:
    return found(text, "HOSTNAME")


def private(text: str) -> list[str]:
    return [text[f.start:f.end] for f in P.analyze(text)]


@pytest.mark.parametrize(("text", "names"), [
    (" 1  gw-zarvex.lan (192.168.1.1)  0.51 ms\n 2  srvkrast010 (172.16.17.244)  1.2 ms\n",
     ["srvkrast010"]),
    ("backend app\n    server kafavrar12 jiostugor.private:8080 check\n"
     "    server db-trytryx-12 10.0.0.7:8080 check backup\n", ["kafavrar12", "db-trytryx-12"]),
    ("all:\n  children:\n    db:\n      hosts:\n        riosiom-runner-28c:\n"
     "          ansible_host: 10.1.2.3\n        pelvora:\n", ["riosiom-runner-28c", "pelvora"]),
    ("brokers:\n  - kafka-vexor-1\n  - kafka-vexor-2\n", ["kafka-vexor-1", "kafka-vexor-2"]),
    ("//nasvorth01/backup  /mnt/backup  cifs  credentials=/root/.smb  0 0", ["nasvorth01"]),
    (r"Open \\?\UNC\fsqualix\dept\file.xlsx", ["fsqualix"]),
    ("CN=svc_backup,OU=Service Accounts,DC=gastevryr,DC=corp", ["gastevryr"]),
    ("PS C:\\Users\\jdoe> hostname\nzarquon-build-14\n$ uname -a\nLinux vexmoor 6.1.0-18-amd64 #1",
     ["zarquon-build-14", "vexmoor"]),
    ("Automount path /net/zarquon-build-16/home/jdoe is empty", ["zarquon-build-16"]),
    ("(venv) jdoe@zarquon-12:~/src$ make\n┌──(jdoe㉿zarquon-17)-[~/src]",
     ["zarquon-12", "zarquon-17"]),
    ("sshfs jdoe@zarquon-20:/data /mnt/data\nssh-keygen -R zarquon-22\nHOSTNAME=zarquon-25",
     ["zarquon-20", "zarquon-22", "zarquon-25"]),
])
def test_places_that_hold_only_hosts(text: str, names: list[str]) -> None:
    assert sorted(hosts(text)) == sorted(names)


@pytest.mark.parametrize("text", [
    "the gateway (10.0.0.1) drops packets",  # a word, not a machine's name
    "hosts:\n  default:\n    count: 3\n",  # a placeholder and a setting
    "CN=Users,DC=example,DC=com",  # a public domain
    "// see //localhost/x and //share/docs",
    "ping one.one.one.one (1.1.1.1)",
    "Linux is great. Linux mint 21.3 is out.\n$ hostname\nlocalhost",
])
def test_what_only_looks_like_those_places(text: str) -> None:
    assert hosts(text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("サーバーzhekrim23に接続できません。ci-lejyvry-7からは接続できます。",
     ["zhekrim23", "ci-lejyvry-7"]),
    ("无法连接到服务器db-04，但是从gpu-vexa-2可以连接。", ["db-04", "gpu-vexa-2"]),
    ("El servidor web-krastor-4 no responde; en la máquina db-vexa-02 sí.",
     ["web-krastor-4", "db-vexa-02"]),
    ("Status: pg-prod-27 is down again and srv-60 went offline after the patch.",
     ["pg-prod-27", "srv-60"]),
    ("Can you restart k8s-node-4a? Then copy the dumps to build-44c and db03.",
     ["k8s-node-4a", "build-44c", "db03"]),
])
def test_machines_named_in_sentences(text: str, names: list[str]) -> None:
    assert hosts(text) == names


@pytest.mark.parametrize("text", [
    "We moved to python3 and es2015, then on web3 and db2.",
    "Deploy it on ubuntu-22, then on node-18.",
    "日本語の説明はpython3で書きました。",
])
def test_versions_and_products_in_sentences_are_no_hosts(text: str) -> None:
    assert hosts(text) == []


def test_company_internal_zones_and_the_private_suffix() -> None:
    text = ("SSO at gitlab.corp.zorvath.com works, db-11.mgmt.biostyfyth.net not; "
            "the API is jiostugor.private. See outlook.office.com and github.com.")
    assert sorted(private(text)) == ["db-11.mgmt.biostyfyth.net", "gitlab.corp.zorvath.com",
                                     "jiostugor.private"]
    assert private("if self.int.value.com: pass") == []


def test_kubernetes_api_service_is_public() -> None:
    assert hosts("KUBE_API=https://kubernetes.default.svc:443/api") == []
    assert hosts("SEARCH=http://search.vexor.svc:9200") == ["search.vexor.svc"]


@pytest.mark.parametrize(("text", "phones"), [
    ("ping me on 2015555509 (ext 123) if the deploy stalls", ["2015555509"]),
    ("bel me op 06.12346396 toestel 12 of mobiel 010-123-9391", ["06.12346396", "010-123-9391"]),
    ("zadzwoń na 12.345.61.79 wew. 44 albo kom. 512346546", ["12.345.61.79", "512346546"]),
    ("ruf mich an: 01512.3451956 App. 12, privat 030-128897", ["01512.3451956", "030-128897"]),
])
def test_phones_in_chat(text: str, phones: list[str]) -> None:
    assert found(text, "PHONE") == phones


@pytest.mark.parametrize("text", [
    "Released 12.345.61.79 today, see 2.14.105.3 too.",
    "Order 12345678 shipped on 2025-03-01.",
])
def test_versions_and_order_numbers_are_no_phones(text: str) -> None:
    assert found(text, "PHONE") == []


def test_a_dashed_address_in_a_host_is_replaced_and_restored() -> None:
    veil = Veil(Policy.from_dict({"name": "default", "internal_domains": []}), b"k" * 32)
    text = "SEARCH_URL=http://10-24-141-49.vexor.pod.cluster.local:9200 and nas.home.arpa"
    (out,), mapping = veil.anonymize([text])
    assert "10-24-141-49" not in out and "vexor" not in out
    assert ".pod.cluster.local:9200" in out and ".home.arpa" in out
    assert mapping.restore(out) == text
    # after a word in the label, in the full name and the short one alike
    text = "ip-10-1-2-3.eu-west-1.compute.internal is down; ssh ip-10-1-2-3 failed"
    (out,), mapping = veil.anonymize([text])
    assert "10-1-2-3" not in out and mapping.restore(out) == text


@pytest.mark.parametrize("lang", ["ssh-config", "haproxy", "hosts", "netrc", "powershell",
                                  "systemd", "csv"])
def test_configuration_fences_hold_hosts_not_attribute_chains(lang: str) -> None:
    text = f"```{lang}\nmachine gitlab.local login ci\nHost nas.internal\n```\n"
    assert private(text) == ["gitlab.local", "nas.internal"]


def test_code_fences_keep_their_attribute_chains() -> None:
    text = "```python\nif self.config.local:\n    mode = app.settings.internal\n```\n"
    assert private(text) == []


def test_values_of_unlabelled_configuration_are_hosts() -> None:
    text = ("server {\n    listen 80;\n    server_name wiki.local;\n"
            "    location / { proxy_pass http://app; }\n}\n")
    assert private(text) == ["wiki.local"]
    assert private("[Service]\nEnvironment=API=vault.internal\nExecStart=/usr/bin/app\n") == [
        "vault.internal"]


def test_a_private_host_by_its_short_name_gets_its_dummys_first_label() -> None:
    text = ("```console\n$ ping -c1 build-sidrydres-3\n"
            "PING build-sidrydres-3.local (172.20.36.22) 56(84) bytes of data.\n```")
    assert sorted(private(text)) == ["build-sidrydres-3", "build-sidrydres-3.local"]
    (sent,), mapping = Veil(Policy(), b"k" * 32).anonymize([text])
    assert "sidrydres" not in sent
    short = mapping.forward["build-sidrydres-3"]
    assert mapping.forward["build-sidrydres-3.local"] == short + ".local"
    # a first label of plain letters (api.internal) is a word elsewhere, not the machine
    assert private("the api.internal host; the api is fine") == ["api.internal"]


def test_internal_zones_include_office_and_hq() -> None:
    text = "SSO at cache-29.office.diremind.io works, sso.hq.tavon.io does not"
    assert private(text) == ["cache-29.office.diremind.io", "sso.hq.tavon.io"]
    # three labels: a public service's own name (outlook.office.com)
    assert private("outlook.office.com and portal.office.com work") == []


def test_a_machine_after_a_login_in_an_scp_path_and_before_a_resolver_error() -> None:
    assert hosts("git clone git@zorbat-07:team/repo.git") == ["zorbat-07"]
    assert hosts("ping: zorbat-07: Name or service not known") == ["zorbat-07"]
    assert hosts("ssh: Could not resolve hostname x: nodename nor servname provided") == []
    # a forge's own address and a word stay
    assert hosts("git clone git@github.com:team/repo.git") == []
    assert hosts("jdoe@laptop:~/src$ ls") == []
