"""The gateway's HTTP server (aiohttp): the app factory, the request routine, the routes.

``app`` wires everything together (``build_app``); ``routine`` is the one request story every
route shares (caller, audit record, JSON body, API-shaped errors); ``gateway`` serves the five
API surfaces; ``loop_api`` the loop; ``admin`` the audit web page; ``reload`` owns each tenant's
running veil and swaps it when a policy file changes.
"""

from __future__ import annotations
