from __future__ import annotations

import re

from problemspace.testing import BaseTestCase


class ServerTimingTestCase(BaseTestCase):
    def test_every_response_says_how_long_the_server_took(self) -> None:
        self.client.force_login(self.alice)
        for url in ["/login/", "/w/acme/inbox/"]:
            with self.subTest(url=url):
                header = self.client.get(url)["Server-Timing"]
                assert re.fullmatch(r"app;dur=\d+\.\d", header), header
