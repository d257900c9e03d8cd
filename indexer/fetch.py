"""Fetching feeds and pages politely: one request per host per second (longer when robots.txt
asks for a crawl delay), robots.txt honoured, a User-Agent that names Telusur, a size limit
and a timeout on every response.

Telusur fetches only what the user asked for (a feed they follow; its entries' pages with
`--fetch`), never links found on pages.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from indexer.sources.common import MAX_PAGE_BYTES

USER_AGENT = "Telusur/0.1 (news archive search; fetches only the feeds its user follows)"
ROBOTS_AGENT = "Telusur"  # the name robots.txt rules address
TIMEOUT_SECONDS = 30.0
# Seconds between two requests to one host, unless its robots.txt asks for more.
PER_HOST_SECONDS = 1.0


class FetchError(Exception):
    """A URL that could not be fetched, or may not be; the reason is the message."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class PoliteFetcher:
    """Fetches URLs one host-second apart, after asking each host's robots.txt.

    `clock` and `sleep` are for tests; the defaults are the real ones.
    """

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        per_host: float = PER_HOST_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.per_host = per_host
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self.requests = 0  # made so far, robots.txt included

    def _wait_turn(self, host: str, delay: float) -> None:
        with self._lock:
            last = self._last.get(host)
            if last is not None and (wait := last + delay - self.clock()) > 0:
                self.sleep(wait)
            self._last[host] = self.clock()
            self.requests += 1

    def _get(self, url: str, delay: float) -> Response:
        self._wait_turn(_host(url), delay)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                body = answer.read(MAX_PAGE_BYTES + 1)
                status, final = answer.status, answer.url
                content_type = answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            e.close()
            return Response(e.url or url, e.code, "", b"")
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise FetchError(f"cannot fetch {url}: {getattr(e, 'reason', e)}") from None
        if len(body) > MAX_PAGE_BYTES:
            raise FetchError(f"too large: over {MAX_PAGE_BYTES:,} bytes ({url})")
        return Response(final, status, content_type, body)

    def _rules(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt, read once; None when it has none (everything allowed)."""
        host = _host(url)
        if host in self._robots:
            return self._robots[host]
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        answer = self._get(robots_url, self.per_host)
        rules: urllib.robotparser.RobotFileParser | None = None
        if answer.status == 200:
            rules = urllib.robotparser.RobotFileParser(robots_url)
            rules.parse(answer.body.decode("utf-8", "replace").splitlines())
        elif answer.status >= 500:  # RFC 9309: a server error means stay away for now
            raise FetchError(f"robots.txt of {host} answered {answer.status}: not fetching")
        self._robots[host] = rules  # a 4xx means no rules: everything allowed
        return rules

    def fetch(self, url: str) -> Response:
        """The answer to GET `url`, if robots.txt allows it; raises FetchError saying why not."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url}")
        rules = self._rules(url)
        delay = self.per_host
        if rules is not None:
            if not rules.can_fetch(ROBOTS_AGENT, url):
                raise FetchError(f"robots.txt disallows {url}")
            delay = max(delay, float(rules.crawl_delay(ROBOTS_AGENT) or 0))
        answer = self._get(url, delay)
        if answer.status != 200:
            raise FetchError(f"HTTP status {answer.status}: {url}")
        return answer
