"""Planted values for end-to-end tests: format-valid fakes the gateway must never forward.

Shared by the tests of every API surface, so they all hold the gateway to the same prompt.
"""

from __future__ import annotations

GH = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEA7bq9x0Yb2uJkq3ZcL8Hs5PdRt1VwXe9fKa2mN4pQr6Ts\n"
    "-----END RSA PRIVATE KEY-----"
)
AWS = "AKIA" + "Q7ZB3XK2MV4PLT9R"
STRIPE = "sk_live_" + "51Hc7QmZr2LkD9xWvBn4TsYp0aEfGhJk8uVwXyZ3bCdEfGh"
PASSWORD = "Tulip!Marlin58"
EMAIL = "sanna.virtanen@quorvex.com"
IP = "10.44.3.17"
HOST = "db03.corp.quorvex.internal"

PROMPT = f"""Why does this fail against {HOST}?

```python
import boto3
import requests

QUORVEX_URL = "https://api.quorvex-int.net/v2"
AWS_ACCESS_KEY_ID = "{AWS}"
STRIPE_KEY = "{STRIPE}"
DB_PASSWORD = "{PASSWORD}"

class QuorvexBillingClient:
    # owner: {EMAIL}, runs on {IP}
    def charge(self, amount):
        return requests.post(QUORVEX_URL + "/charge", json={{"amount": amount}}, timeout=5)
```
Stellan Labs owns quorvex_ledger and the qvtools package."""

PLANTED = [AWS, STRIPE, PASSWORD, EMAIL, IP, HOST, "Stellan Labs", "qvtools"]
PUBLIC = ["requests.post", "import boto3", "timeout=5", "def charge(self, amount)", "Why does"]
