"""Shared fixtures: the seed corpus, a built index of it, and small corpora on disk."""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest

from waitress import create_server, wasyncore

from indexer.build import rebuild
from indexer.validate import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus" / "statements"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the bundled corpus, built once for the whole session."""
    root = tmp_path_factory.mktemp("seed") / "index"
    rebuild(load_corpus(SEED_CORPUS), root, procs=1)
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    path = tmp_path / "statements"
    shutil.copytree(SEED_CORPUS, path)
    return path


def statement(title: str = "A title", body: str = "Some text.", **fields) -> str:
    """The text of a corpus file with the given front matter."""
    lines = [f'title = "{title}"'] + [f"{k} = {v}" for k, v in fields.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n\n" + body + "\n"


FIXTURE_CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory) -> Path:
    """The seed corpus plus dated, tagged and hostile fixture statements."""
    corpus = tmp_path_factory.mktemp("fixture") / "statements"
    shutil.copytree(SEED_CORPUS, corpus)
    for path in FIXTURE_CORPUS.glob("*.md"):
        shutil.copy(path, corpus)
    root = corpus.parent / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    return root


@pytest.fixture(scope="session")
def engine(fixture_index):
    """One engine for the session, as a server would keep it."""
    from search.engine import Engine

    return Engine(fixture_index)


@contextmanager
def serve(app, threads: int = 4):
    """Serve a WSGI app as ``python -m webui`` does (waitress) on a free port; yield its URL.

    On exit the sockets are closed by the server's own loop thread (through its trigger):
    closing them from this thread races the loop's ``select()``, which then fails with
    "Bad file descriptor" in a thread pytest reports as an error.
    """
    sockets: dict = {}
    server = create_server(app, map=sockets, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown()  # let its threads finish their last response
        server.trigger.pull_trigger(partial(wasyncore.close_all, sockets))
        thread.join(timeout=10)
        if thread.is_alive():
            raise RuntimeError("the test server did not stop within 10 s")
