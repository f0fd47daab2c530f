"""scripts/class_client.py's message cache keeps what a browser keeps, and no more.

The browser (Streamlit's frontend, ForwardMessageCache.ts) drops a cached message once it has
gone unused for more than `global.maxCachedMessageAge` finished runs; a client that never drops
one sends every hash it ever saw with each rerun, and the server holds each session's latest
list, so bench_class's soak would measure the clients' history. No server needed here.
"""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from scripts.class_client import FINISHED, FINISHED_EARLY_FOR_RERUN, MessageCache, Rendered, Session


def _element(hash_: str, cacheable: bool = True) -> ForwardMsg:
    message = ForwardMsg(hash=hash_)
    message.delta.new_element.markdown.body = f"chart {hash_}"
    message.metadata.cacheable = cacheable
    return message


def _reference(hash_: str) -> ForwardMsg:
    return ForwardMsg(ref_hash=hash_)


def test_a_message_unused_for_more_than_max_age_finished_runs_is_dropped():
    cache = MessageCache(max_age=2)
    assert cache.take(_element("a")).delta.new_element.markdown.body == "chart a"
    cache.take(_element("small", cacheable=False))  # under minCachedMessageSize: never kept
    assert cache.hashes() == ["a"]
    cache.finished(FINISHED)
    cache.finished(FINISHED)
    assert cache.hashes() == ["a"]  # two runs old: kept
    cache.finished(FINISHED)
    assert cache.hashes() == []  # three: dropped, as the browser drops it


def test_a_reference_keeps_its_message_and_a_run_cut_short_does_not_count():
    cache = MessageCache(max_age=2)
    cache.take(_element("a"))
    cache.take(_element("b"))
    cache.finished(FINISHED)
    cache.finished(FINISHED)
    # The server answered with a reference to "a": the same message, used again now.
    assert cache.take(_reference("a")).delta.new_element.markdown.body == "chart a"
    cache.finished(FINISHED_EARLY_FOR_RERUN)  # superseded by the next rerun: not a run
    assert sorted(cache.hashes()) == ["a", "b"]
    cache.finished(FINISHED)
    assert cache.hashes() == ["a"]
    cache.take(_element("a"))  # sent whole again: also a use
    for _ in range(2):
        cache.finished(FINISHED)
    assert cache.hashes() == ["a"]
    cache.finished(FINISHED)
    assert cache.hashes() == []


def test_the_session_takes_the_servers_max_age_and_counts_finished_runs():
    session = Session("http://127.0.0.1:1", "", {})
    hello = ForwardMsg()
    hello.new_session.initialize.session_id = "s1"
    hello.new_session.config.max_cached_message_age = 1
    shown = Rendered(0.0)
    session._read(hello, shown)
    assert (session.session_id, session._cache.max_age) == ("s1", 1)
    session._cache.take(_element("a"))
    done = ForwardMsg(script_finished=FINISHED)
    assert session._read(done, shown) is True
    assert session._cache.hashes() == ["a"]
    session._read(done, shown)
    assert session._cache.hashes() == []
