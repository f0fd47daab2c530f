"""A browser-free Streamlit session: Streamlit's own websocket protocol, spoken from Python.

benchmarks/bench_class.py drives a class of these at once; tests/e2e/test_serve_class.py
checks with two of them that a balancer keeps each session on its own server. A browser tab
costs the machine far more than the server it talks to (on 2 cores, 20 Chromium tabs used 7×
the server's CPU), so a load test made of tabs measures the tabs. This client sends what the
browser sends and reads what the server answers, nothing more:

- one websocket to `/_stcore/stream` (subprotocol "streamlit"), with the cookies of a first
  plain GET, so that a load balancer's sticky-session cookie applies as it does for a browser;
- `BackMsg.rerun_script`, a `ClientState` holding the address's query string, the page (by
  URL path on opening a link, by script hash on a switch, as the browser's navigation does)
  and every widget value the student has set;
- the answer is the run's `ForwardMsg`s up to `script_finished`: elements (headings, metrics,
  text, charts, exceptions), the pages (`navigation`) and the address (`page_info_changed`).

Bound widgets write their values into the address in the browser, not on the server, so a
changed slider is written into this client's query string here, the way the frontend does.
Messages the server marks cacheable are kept and their hashes sent back, as the browser does,
so the server may answer with references; and, as the browser does, a message not used in the
server's `global.maxCachedMessageAge` finished runs is dropped (`MessageCache`).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import unquote_plus, urlencode, urlparse

import pyarrow as pa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = 0  # ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FINISHED_EARLY_FOR_RERUN = 2  # a run cut short by the next one: the browser does not count it
TEXT_ELEMENTS = ("markdown", "alert", "heading", "code", "text", "metric")


@dataclass
class Rendered:
    """What one script run drew, as a student would read it."""

    seconds: float
    status: int = -1
    runs: int = 0  # script runs the server finished while answering (a st.rerun adds one)
    headings: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)  # label → shown value
    exceptions: list[str] = field(default_factory=list)
    charts: int = 0
    texts: list[str] = field(default_factory=list)  # every text and number, in order
    sliders: dict[str, tuple[str, list[float]]] = field(default_factory=dict)  # key → (id, default)

    rows: list[tuple[str, bytes]] = field(default_factory=list)  # each chart dataset, as Arrow

    @property
    def content(self) -> list[str]:
        """Every text and number of the page, and every chart's spec and rows (decoded: the
        same rows can be written to Arrow in more than one way)."""
        return self.texts + [
            f"{name} {pa.ipc.open_stream(data).read_all().to_pydict()}" for name, data in self.rows
        ]


def _element_text(kind: str, element) -> str:
    if kind == "metric":
        return f"metric {element.label} = {element.body}"
    if kind == "vega_lite_chart":
        return f"chart {element.spec}"
    return f"{kind} {getattr(element, 'body', '')}"


class MessageCache:
    """The browser's cache of large messages (the frontend's ForwardMessageCache.ts): a message
    the server marks cacheable is kept, and every rerun sends the hashes kept, so the server
    may answer with a reference instead of the message. After every finished run (not one cut
    short by the next) the browser drops each message not used for more than `max_age` runs
    (`global.maxCachedMessageAge`, 2, sent in `new_session`).

    Without the expiry a student's list only grows: every chart of every setting it ever drew
    goes back to the server with each rerun, which parses the list and makes a set of it for
    the run, so a long class of such clients makes every rerun's request, and what the server
    allocates for it, larger than any browser's."""

    def __init__(self, max_age: int = 2) -> None:
        self.max_age = max_age
        self._messages: dict[str, ForwardMsg] = {}
        self._used: dict[str, int] = {}  # hash → the run count when it was last used
        self._runs = 0

    def take(self, forward: ForwardMsg) -> ForwardMsg:
        """The message `forward` stands for: itself, or the cached one it refers to."""
        if forward.WhichOneof("type") == "ref_hash":
            self._used[forward.ref_hash] = self._runs
            return self._messages[forward.ref_hash]
        if forward.metadata.cacheable and forward.hash:
            self._messages.setdefault(forward.hash, forward)
            self._used[forward.hash] = self._runs
        return forward

    def hashes(self) -> list[str]:
        return list(self._messages)

    def finished(self, status: int) -> None:
        """A run finished with `status`: count it and drop what has expired."""
        if status == FINISHED_EARLY_FOR_RERUN:
            return
        self._runs += 1
        for old in [h for h, used in self._used.items() if self._runs - used > self.max_age]:
            del self._messages[old], self._used[old]


class Session:
    """One student's browser tab: its address, its widget values and its websocket."""

    def __init__(self, base_url: str, path: str, query: dict[str, str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.path = path  # the page's URL path, "" for the default page
        self.query = dict(query)
        self.pages: dict[str, str] = {}  # URL path → script hash, from `navigation`
        self._widgets: dict[str, WidgetState] = {}
        self._cache = MessageCache()
        self._socket = None
        self._cookies = ""
        self.replica = ""  # the load balancer's cookie value, if any
        self.session_id = ""  # the server's id for this session, from `new_session`

    async def open(self) -> Rendered:
        """Open the shared link: the page at `path` with `query`, in a new session."""
        self._cookies = await asyncio.to_thread(self._first_request)  # never block the others
        await self._connect(["streamlit"])
        return await self._rerun(page_name=self.path)

    async def reconnect(self) -> Rendered:
        """Drop the websocket and open another, asking for this session back, as the browser
        does after a network hiccup; then rerun the page. A server that does not hold the
        session starts a new one, with a new `session_id`."""
        await self._socket.close()
        # The browser's own placeholder where an XSRF token would go; the id comes third.
        await self._connect(["streamlit", "PLACEHOLDER_AUTH_TOKEN", self.session_id])
        return await self._rerun(page_hash=self.pages.get(self.path, ""))

    async def _connect(self, subprotocols: list[str]) -> None:
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        address = f"{scheme}://{urlparse(self.base_url).netloc}/_stcore/stream"
        headers = {"Cookie": self._cookies} if self._cookies else None
        self._socket = await websockets.connect(
            address, subprotocols=subprotocols, additional_headers=headers, max_size=None
        )

    async def switch(self, path: str) -> Rendered:
        """Click a page in the sidebar navigation: the same session, another script."""
        self.path = path
        return await self._rerun(page_hash=self.pages[path])

    async def set_slider(self, key: str, value: float, shown: Rendered) -> Rendered:
        """Move the slider `key` (as drawn in `shown`) to `value`: a widget rerun."""
        widget_id, default = shown.sliders[key]
        state = WidgetState(id=widget_id)
        state.double_array_value.data.append(value)
        self._widgets[widget_id] = state
        if [value] == default:  # the frontend leaves a default value out of the address
            self.query.pop(key, None)
        else:
            self.query[key] = f"{value:g}"
        return await self._rerun(page_hash=self.pages.get(self.path, ""))

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    @property
    def address(self) -> str:
        """The address bar: the page and its query string."""
        return f"{self.base_url}/{self.path}?{urlencode(self.query)}"

    def _first_request(self) -> str:
        """GET the page, as the browser does before opening its websocket; its cookies."""
        with urllib.request.urlopen(f"{self.base_url}/{self.path}", timeout=60) as response:
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
        self.replica = next((morsel.value for morsel in jar.values()), "")
        return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())

    async def _rerun(self, page_name: str = "", page_hash: str = "") -> Rendered:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = urlencode(self.query)
        state.page_name = page_name
        state.page_script_hash = page_hash
        state.widget_states.widgets.extend(self._widgets.values())
        state.cached_message_hashes.extend(self._cache.hashes())
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        shown = Rendered(0.0)
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self._socket.recv())
            forward = self._cache.take(forward)
            if self._read(forward, shown):
                shown.seconds = time.perf_counter() - start
                return shown

    def _read(self, forward: ForwardMsg, shown: Rendered) -> bool:
        """Take one message into `shown`; True once the run has finished."""
        kind = forward.WhichOneof("type")
        if kind == "new_session":
            if forward.new_session.initialize.session_id:
                self.session_id = forward.new_session.initialize.session_id
            if forward.new_session.HasField("config"):
                self._cache.max_age = forward.new_session.config.max_cached_message_age
        elif kind == "navigation":
            self.pages = {
                page.url_pathname: page.page_script_hash for page in forward.navigation.app_pages
            }
        elif kind == "page_info_changed":
            # The server rewrites values it corrected (seed=5 → 5.0) and, on a page switch,
            # drops the sidebar's bound parameters, which the frontend then writes back from
            # the widgets it draws: so a value sent here replaces ours, a missing one stays.
            for pair in forward.page_info_changed.query_string.split("&"):
                if pair:
                    key, _, value = pair.partition("=")
                    self.query[unquote_plus(key)] = unquote_plus(value)
        elif kind == "script_finished":
            self._cache.finished(forward.script_finished)
            shown.runs += 1
            shown.status = forward.script_finished
            return forward.script_finished in (FINISHED, 1)  # 1: compile error, also final
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            self._read_element(forward.delta.new_element, shown)
        return False

    def _read_element(self, element, shown: Rendered) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "heading":
            shown.headings.append(body.body)
        elif kind == "metric":
            shown.metrics[body.label] = body.body
        elif kind == "exception":
            shown.exceptions.append(f"{body.type}: {body.message}")
        elif kind == "vega_lite_chart":
            shown.charts += 1
            shown.rows += [(dataset.name, dataset.data.data) for dataset in body.datasets]
        if kind in TEXT_ELEMENTS or kind == "vega_lite_chart":
            shown.texts.append(_element_text(kind, body))
        widget_id = getattr(body, "id", "")
        if widget_id.startswith("$$ID-") and kind == "slider":
            shown.sliders[widget_id.split("-", 2)[2]] = (widget_id, list(body.default))
