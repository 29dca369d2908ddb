"""Hardening: what a user sees when builds overlap, die, or meet a damaged index.

Real processes and a real HTTP server (waitress on a free port, as
``python -m webui`` serves the app): a rebuild runs while the server answers,
rebuilds are killed with SIGKILL at several points or fail to write, two
rebuilds race, updates publish under a running export, exports storm the
server, the index is deleted or damaged (even in place, sizes kept) under the
server and the command line, and the corpus holds entries that are no files.
No timings are asserted; waits are bounded so that a hang fails, not stalls.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from indexer.__main__ import main as indexer
from indexer.build import rebuild
from indexer.validate import PARALLEL_FILES, load_corpus
from search.engine import FILE_CHECK_SECONDS
from search.statements import Results
from search.store import GENERATIONS, current_generation
from webui import create_app

from .conftest import ROOT, SEED_CORPUS, serve, statement

REBUILD_MESSAGE = "python -m indexer rebuild"
LOCKED_MESSAGE = "another rebuild or update of this index is running"
NEW_WORD = "Zapatista"
"""Only in the large corpus: its results tell the new index from the old one."""
STEADY = "Lukashenko"
"""In both corpora, in one statement: its results must never change."""
GENERATED = max(PARALLEL_FILES, 1000)
"""Files generated for the large corpus: enough to be read by a process pool."""
SLOW_EXPORT = "e~2/0"
"""Every word within two edits of "e", at any letter: in ``large_corpus`` an export of
it (every statement, each explained) lasts seconds."""
WAIT = 60.0
"""Upper bound, in seconds, of every wait for a process or a file (never reached when
things work; it turns a hang into a failure)."""


# --- helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_corpus(tmp_path_factory) -> Path:
    """The seed corpus plus a statement about the Zapatistas: quick to rebuild."""
    path = tmp_path_factory.mktemp("new") / "statements"
    shutil.copytree(SEED_CORPUS, path)
    (path / "zapatista.en.md").write_text(statement(
        "The Zapatista uprising", "The Zapatista uprising in Chiapas began in 1994."))
    return path


@pytest.fixture(scope="module")
def large_corpus(new_corpus, tmp_path_factory) -> Path:
    """``new_corpus`` plus 1000 generated statements: a rebuild lasts a few seconds.

    They reach ``PARALLEL_FILES``, so they are read by a process pool,
    and 300 words each make the writing last; in two languages, a small German
    part first, so one language is committed early while the other is written.
    """
    path = tmp_path_factory.mktemp("large") / "statements"
    shutil.copytree(new_corpus, path)
    words = (SEED_CORPUS / "rif-and-morocco.en.md").read_text().split()
    for n in range(GENERATED):
        body = " ".join(words[(n * 7 + i) % len(words)] for i in range(300))
        (path / f"generated-{n}.{'de' if n % 5 == 0 else 'en'}.md").write_text(
            statement(f"Statement {n}", body))
    return path


@pytest.fixture(scope="module")
def large_index(large_corpus) -> Path:
    """An index of ``large_corpus``, built once; tests only read it."""
    root = large_corpus.parent / "index"
    rebuild(load_corpus(large_corpus, procs=2), root, procs=2)
    return root


@pytest.fixture
def index(tmp_path) -> Path:
    """An index of the seed corpus, the one being served when a test starts."""
    root = tmp_path / "index"
    rebuild(load_corpus(SEED_CORPUS), root, procs=1)
    return root


@contextmanager
def serving(index: Path):
    """The app over ``index`` as ``python -m webui`` serves it: waitress, a free port."""
    with serve(create_app({"INDEX_DIR": str(index), "TESTING": True})) as base:
        yield base


def get(base: str, path: str, **params) -> tuple[int, str, str]:
    """GET ``path``: the status, the content type and the body, whatever the status."""
    status, headers, body = fetch(base, path, **params)
    return status, headers["Content-Type"], body


def fetch(base: str, path: str, timeout: float = 30, **params) -> tuple[int, dict, str]:
    """GET ``path``: the status, the headers and the body, whatever the status."""
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


def keys(base: str, query: str) -> list[str]:
    """The statement keys the JSON API answers for ``query``; any other status fails."""
    status, kind, body = get(base, "/search.json", q=query, per_page=100)
    assert status == 200, (status, body)
    assert kind == "application/json"
    return [result["key"] for result in json.loads(body)["results"]]


def start_rebuild(corpus: Path, index: Path, *more: str, **popen) -> subprocess.Popen:
    """``python -m indexer rebuild`` of ``corpus`` into ``index``, as a user runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "rebuild", "--corpus", str(corpus), "--index",
         str(index), "--no-langid", *more],
        cwd=ROOT, text=True, **{"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen})


def wait_for(condition, what: str, process: subprocess.Popen | None = None):
    """Poll ``condition`` until it returns something true; fail if the process ends first."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if process is not None and process.poll() is not None:
            pytest.fail(f"the rebuild ended (status {process.returncode}) before {what}: "
                        f"{process.stderr.read()[-2000:]}")
        time.sleep(0.005)
    pytest.fail(f"gave up waiting for {what} after {WAIT} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def webui_process(index: Path, *more: str):
    """``python -m webui --index INDEX`` as a user starts it; yields its URL and log file.

    Waits until it answers (it may build an index first); stops it on exit.
    """
    port = free_port()
    log = index.parent / f"webui-{port}.log"
    with open(log, "w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "webui", "--index", str(index), "--port", str(port),
             "--workers", "1", *more], cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base, server), "the server to answer")
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=WAIT)


def _answers(base: str, server: subprocess.Popen) -> bool:
    if server.poll() is not None:
        pytest.fail(f"python -m webui ended with status {server.returncode}")
    try:
        get(base, "/openapi.json")
        return True
    except urllib.error.URLError:
        return False


def generations(index: Path) -> set[Path]:
    return set((index / GENERATIONS).iterdir())


def reap(processes) -> None:
    """Kill what is left of processes this test started (never anything else)."""
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(processes, timeout=10)


# --- a rebuild while the server answers ---------------------------------------------


def test_the_server_answers_during_a_rebuild_then_switches_to_the_new_index(
        index, large_corpus):
    with serving(index) as base:
        steady = keys(base, STEADY)
        assert steady == ["belarus-struggle-against-lukashenko"]
        assert keys(base, NEW_WORD) == []
        process = start_rebuild(large_corpus, index)
        seen, after_exit = [], 0
        deadline = time.monotonic() + 2 * WAIT
        while time.monotonic() < deadline and len(seen) < 20_000:
            if process.poll() is not None:  # published, then ended: 10 more requests
                after_exit += 1
                if after_exit > 10:
                    break
            seen.append(keys(base, NEW_WORD))  # any status but 200 fails here
            assert keys(base, STEADY) == steady
        out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert f"rebuild: {GENERATED + 11} files" in out
    switch = seen.index(["zapatista"]) if ["zapatista"] in seen else len(seen)
    assert switch > 0, "the rebuild was over before the first request: nothing was tested"
    assert seen[:switch] == [[]] * switch, "the old index gave other results"
    assert seen[switch:] and seen[switch:] == [["zapatista"]] * (len(seen) - switch), \
        "the new index was not served, or the old one came back after the switch"


# --- rebuilds killed with SIGKILL ---------------------------------------------------
# tests/test_indexer_cli.py kills one 0.3 s after its start and at its first progress
# line; these are the other points: reading files (in a process pool), right after its
# generation folder appears, and after it committed one language's index.


def _reading(process, index, before):
    return psutil.Process(process.pid).children()


def _new_generation(process, index, before):
    return (index / GENERATIONS).is_dir() and generations(index) - before


def _one_language_committed(process, index, before):
    return [path for new in generations(index) - before for path in new.glob("*/_MAIN_1.toc")]


KILL_POINTS = {"reading": _reading, "generation-folder": _new_generation,
               "one-language-committed": _one_language_committed}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_rebuild_killed_at_any_point_leaves_the_served_index_answering(
        index, new_corpus, large_corpus, point):
    before = generations(index)
    served = current_generation(index)
    with serving(index) as base:
        answers = keys(base, STEADY), keys(base, NEW_WORD)
        process = start_rebuild(large_corpus, index)
        children = []
        try:
            wait_for(lambda: KILL_POINTS[point](process, index, before), point, process)
            children = psutil.Process(process.pid).children(recursive=True)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=WAIT)
        finally:
            process.kill()
            reap(children)  # see the next test: they would outlive it
            process.communicate(timeout=WAIT)
        assert current_generation(index) == served
        assert (keys(base, STEADY), keys(base, NEW_WORD)) == answers
        # What the killed build left behind (a generation folder, the lock file)
        # neither stops the next build nor outlives it.
        assert indexer(["rebuild", "--corpus", str(new_corpus), "--index", str(index),
                        "--no-langid"]) == 0
        assert keys(base, NEW_WORD) == ["zapatista"]
    assert generations(index) == {served, current_generation(index)}


def test_a_rebuild_killed_while_reading_leaves_no_process_behind(index, large_corpus):
    """The processes that read the corpus for a killed rebuild end with it.

    Otherwise every ``kill -9`` (or OOM kill) of a rebuild leaves processes
    that hold their memory for good.
    """
    process = start_rebuild(large_corpus, index, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    readers = wait_for(lambda: psutil.Process(process.pid).children(), "reading")
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT)
        _, alive = psutil.wait_procs(readers, timeout=5)
        assert not alive, f"reader processes outlived the killed rebuild: {alive}"
    finally:
        reap(readers)


# --- builds that fail, and the space they need ------------------------------------------


def _file_size_limit(limit: int):
    """For a child process: files may grow to ``limit`` bytes, a write past it fails.

    Python ignores SIGXFSZ, so the write fails with EFBIG ("File too large"),
    as a full disk fails a write with ENOSPC: the build stops half-written.
    """
    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limited


def test_a_build_that_cannot_write_leaves_nothing_behind_nor_does_a_killed_one(
        index, large_corpus):
    before, served = generations(index), current_generation(index)
    killed = start_rebuild(large_corpus, index, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    wait_for(lambda: _one_language_committed(killed, index, before), "a commit", killed)
    children = psutil.Process(killed.pid).children(recursive=True)
    killed.kill()
    killed.wait(timeout=WAIT)
    reap(children)
    assert generations(index) != before, "the killed rebuild left nothing to clean"

    failing = start_rebuild(large_corpus, index, preexec_fn=_file_size_limit(200_000))
    out, err = failing.communicate(timeout=2 * WAIT)
    assert failing.returncode == 1, (out, err)
    assert "cannot write the index" in err and "File too large" in err, err
    assert "Traceback" not in err
    assert generations(index) == before, "a failed or killed build's folder is left"
    assert current_generation(index) == served
    with serving(index) as base:
        assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]


def test_a_rebuild_without_room_for_another_build_says_so_before_writing(
        index, new_corpus, monkeypatch, capsys):
    before = generations(index)
    last = sum(path.stat().st_size for path in current_generation(index).rglob("*"))
    free = last // 2
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(
        total=10 * last, used=10 * last - free, free=free))
    assert indexer(["rebuild", "--corpus", str(new_corpus), "--index", str(index),
                    "--no-langid"]) == 1
    err = capsys.readouterr().err
    assert "not enough free space" in err and "the last build" in err, err
    assert f"{free / 1e6:.1f} MB" in err
    assert generations(index) == before


# --- a build stays while a request reads it ---------------------------------------------


def _copy_index(large_corpus: Path, large_index: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of ``large_corpus`` and of its index, for a test that changes them."""
    corpus, index = tmp_path / "statements", tmp_path / "index"
    shutil.copytree(large_corpus, corpus)
    shutil.copytree(large_index, index, symlinks=True)
    return corpus, index


def _reading(generation: Path) -> bool:
    """Whether this process (the test's server) has a file of ``generation`` open."""
    return any(f.path.startswith(f"{generation}/") for f in psutil.Process().open_files())


def test_quick_updates_keep_the_build_a_running_export_reads(
        large_corpus, large_index, tmp_path, monkeypatch):
    corpus, index = _copy_index(large_corpus, large_index, tmp_path)
    read = current_generation(index)
    app = create_app({"INDEX_DIR": str(index), "TESTING": True, "CSV_LIMIT": 300})
    listing, go_on = threading.Event(), threading.Event()
    list_result = Results.result

    def held_back(self, *args, **kwargs):  # the export waits, midway, for the updates
        listing.set()
        go_on.wait(WAIT)
        return list_result(self, *args, **kwargs)

    monkeypatch.setattr(Results, "result", held_back)
    with ThreadPoolExecutor(1) as pool, serve(app) as base:
        export = pool.submit(fetch, base, "/search.csv", q=SLOW_EXPORT)
        wait_for(listing.is_set, "the export to list its results")
        assert _reading(read), "the export does not read the build"
        for n in range(3):  # each publishes a build; the one read is no longer the last two
            (corpus / f"quick-{n}.el.md").write_text(statement(f"Δήλωση {n}", "Απεργία."))
            assert indexer(["update", "--corpus", str(corpus), "--index", str(index),
                            "--no-langid", "--procs", "1"]) == 0
        assert not export.done(), "the export ended before the updates: nothing was tested"
        go_on.set()
        assert (read / "manifest.json").exists(), "the build being read was removed"
        status, _, body = export.result(timeout=WAIT)
        assert status == 200, body
        assert len(body.splitlines()) > 300
        assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]  # moves on
    assert indexer(["update", "--corpus", str(large_corpus), "--index", str(index),
                    "--no-langid", "--procs", "1"]) == 0
    assert not read.exists(), "a build no longer read was kept"


# --- an update ranks as a rebuild does ------------------------------------------------


def _ranking(engine, query: str) -> dict:
    """What a reader sees of a search: every statement, its version, order and score."""
    page = engine.search(query, per_page=20)
    return {"total": page.total, "results": [(r.key, r.lang, r.score) for r in page.results]}


def test_an_update_ranks_every_query_as_a_rebuild_of_the_same_files_does(
        large_corpus, large_index, tmp_path):
    corpus, updated = _copy_index(large_corpus, large_index, tmp_path)
    words = (SEED_CORPUS / "rif-and-morocco.en.md").read_text().split()
    generated = sorted(corpus.glob("generated-*.md"))
    for path in generated[:60]:
        path.unlink()
    for n, path in enumerate(generated[60:80]):
        path.write_text(statement(f"Changed {n}", " ".join(words[n * 3:n * 3 + 40])))
    for n in range(5):
        (corpus / f"added-{n}.{'de' if n % 2 else 'en'}.md").write_text(
            statement(f"Added {n}", " ".join(words[n * 11:n * 11 + 60])))
    assert indexer(["update", "--corpus", str(corpus), "--index", str(updated),
                    "--no-langid"]) == 0
    rebuilt = tmp_path / "rebuilt"
    assert indexer(["rebuild", "--corpus", str(corpus), "--index", str(rebuilt),
                    "--no-langid"]) == 0
    queries = sorted({w.strip(".,;:()\"'").lower() for w in words if len(w) > 4})[:80]
    queries += ["Statement", "Changed", "Added", "Morocco OR Rif", '"the Rif"', "war*"]
    from search.engine import Engine

    after_update, after_rebuild = Engine(updated), Engine(rebuilt)
    differing = [q for q in queries
                 if _ranking(after_update, q) != _ranking(after_rebuild, q)]
    assert not differing, f"{len(differing)} of {len(queries)} queries rank otherwise"


# --- corpus entries that are not files, or cannot be read -------------------------------


def _as_an_ordinary_user():
    """For a child process: file permissions hold for it, even when the tests run as root.

    Root reads a file of mode 000 (CAP_DAC_OVERRIDE); dropping that capability
    and CAP_DAC_READ_SEARCH from the bounding set before exec takes them away.
    """
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0):  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _unusable_entries(corpus: Path) -> dict[str, str]:
    """Entries named like statements that are no readable file: name -> what must be said."""
    (corpus / "loop.en.md").symlink_to("loop.en.md")
    (corpus / "dangling.en.md").symlink_to("missing.txt")
    (corpus / "folder.en.md").mkdir()
    os.mkfifo(corpus / "pipe.en.md")
    (corpus / "zero.en.md").symlink_to("/dev/zero")
    secret = corpus / "secret.en.md"
    secret.write_text(statement())
    secret.chmod(0)
    return {"loop.en.md": "is a symbolic link that loops",
            "dangling.en.md": "is a symbolic link to missing.txt, which does not exist",
            "folder.en.md": "is a folder, not a statement file",
            "pipe.en.md": "is a named pipe (FIFO), not a statement file",
            "zero.en.md": "is a device (/dev/zero), not a statement file",
            "secret.en.md": "cannot be read: Permission denied"}


@pytest.mark.parametrize("command", ["check", "rebuild"])
def test_every_corpus_entry_that_is_no_readable_file_is_named_with_what_it_is(
        corpus, tmp_path, command):
    expected = _unusable_entries(corpus)
    index = tmp_path / "index"
    run = subprocess.run(
        [sys.executable, "-m", "indexer", command, "--corpus", str(corpus), "--index",
         str(index), "--no-langid"], cwd=ROOT, capture_output=True, text=True,
        timeout=WAIT, preexec_fn=_as_an_ordinary_user)
    assert run.returncode == 1, run
    assert f"the corpus has {len(expected)} problems" in run.stderr, run.stderr
    for name, message in expected.items():
        assert f"{corpus / name}: {message}" in run.stderr, run.stderr
    assert "cannot write the index" not in run.stderr and "Traceback" not in run.stderr
    assert not index.exists()


def test_a_file_with_carriage_returns_only_is_read_as_written(corpus):
    (corpus / "old-mac.en.md").write_bytes(
        statement("Written on a Mac", "First paragraph.\n\nSecond paragraph.")
        .replace("\n", "\r").encode())
    document = next(d for d in load_corpus(corpus) if d.file == "old-mac.en.md")
    assert document.title == "Written on a Mac"
    assert document.text == "First paragraph.\nSecond paragraph."


# --- two rebuilds at once -------------------------------------------------------------


def test_of_two_rebuilds_at_once_one_builds_and_the_other_fails_clearly(
        index, large_corpus):
    served = current_generation(index)
    with serving(index) as base:
        processes = [start_rebuild(large_corpus, index) for _ in range(2)]
        try:
            results = [(p.wait(timeout=2 * WAIT),) + p.communicate() for p in processes]
        finally:
            for process in processes:
                process.kill()
        assert sorted(code for code, _, _ in results) == [0, 1], results
        winner = next(r for r in results if r[0] == 0)
        loser = next(r for r in results if r[0] == 1)
        assert f"rebuild: {GENERATED + 11} files" in winner[1]
        assert LOCKED_MESSAGE in loser[2] and "Traceback" not in loser[2]
        assert keys(base, NEW_WORD) == ["zapatista"]
        assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]
    # The loser wrote nothing: the old generation (kept for servers still reading it)
    # and the winner's, no other.
    assert generations(index) == {served, current_generation(index)}


# --- a deleted or damaged index ----------------------------------------------------------


def _delete_the_index(index: Path, base: str) -> None:
    shutil.rmtree(index)


def _delete_the_generations(index: Path, base: str) -> None:
    """The folder of builds goes; the ``current`` link stays, pointing at nothing."""
    shutil.rmtree(index / GENERATIONS)


def _garbage(pattern: str):
    def damage(index: Path, base: str) -> None:
        paths = [p for p in current_generation(index).glob(pattern) if p.is_file()]
        assert paths, pattern
        for path in paths:
            path.write_bytes(b"\0garbage\xff")
    return damage


def _truncate(pattern: str):
    def damage(index: Path, base: str) -> None:
        paths = [p for p in current_generation(index).glob(pattern) if p.is_file()]
        assert paths, pattern
        for path in paths:
            with open(path, "r+b") as handle:
                handle.truncate(path.stat().st_size // 2)
    return damage


def _overwrite(pattern: str):
    """Bytes in the middle of each file inverted, its size kept (a bad disk, a stray write)."""
    def damage(index: Path, base: str) -> None:
        paths = [p for p in current_generation(index).glob(pattern) if p.is_file()]
        assert paths, pattern
        for path in paths:
            data = bytearray(path.read_bytes())
            middle = len(data) // 2
            data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
            path.write_bytes(bytes(data))
    return damage


def _delete_folder(name: str):
    def damage(index: Path, base: str) -> None:
        shutil.rmtree(current_generation(index) / name)
    return damage


DAMAGES = {
    # Deleted under a server that has already answered from the index.
    "index-deleted": (_delete_the_index, True),
    "generations-deleted": (_delete_the_generations, True),
    # Damaged before the server first reads it.
    "catalog-garbage": (_garbage("catalog.json"), False),
    "segment-garbage": (_garbage("en/*.trm"), False),
    "toc-garbage": (_garbage("*/*.toc"), False),
    # Overwritten in place, every size kept.
    "stored-overwritten": (_overwrite("en/*._stored.col"), False),
    "key-column-overwritten": (_overwrite("en/*.key.col"), False),
    "file-column-overwritten": (_overwrite("en/*.file.col"), False),
    "terms-overwritten": (_overwrite("en/*.trm"), False),
    "lengths-overwritten": (_overwrite("en/*._body_len.col"), False),
    "catalog-overwritten": (_overwrite("catalog.json"), False),
    # Damaged under a server that has its files open (a copy over it, a full disk).
    "terms-garbage-while-served": (_garbage("en/*.trm"), True),
    "postings-cut-while-served": (_truncate("en/*.pst"), True),
    "stored-cut-while-served": (_truncate("*/*._stored.col"), True),
    "language-deleted-while-served": (_delete_folder("en"), True),
}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", DAMAGES)
def test_a_deleted_or_damaged_index_is_a_503_saying_how_to_rebuild(index, damage):
    damaging, served_first = DAMAGES[damage]
    with serving(index) as base:
        if served_first:
            for _ in range(8):  # on every server thread, as far as it can be told
                assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]
        damaging(index, base)
        if served_first:  # a running server checks its files at most once a second
            time.sleep(FILE_CHECK_SECONDS + 0.1)
        for _ in range(8):
            status, kind, body = get(base, "/search.json", q=STEADY)
            assert (status, kind) == (503, "application/json"), body
            answer = json.loads(body)
            assert answer["ok"] is False and REBUILD_MESSAGE in answer["error"], answer
            status, _, body = get(base, "/statement/rif-and-morocco.json")
            assert status == 503 and REBUILD_MESSAGE in json.loads(body)["error"], body
        status, kind, body = get(base, "/search", q=STEADY)
        assert status == 503 and kind.startswith("text/html")
        assert REBUILD_MESSAGE in body
        assert "Traceback" not in body

        cli = subprocess.run([sys.executable, "-m", "search", "--index", str(index), STEADY],
                             cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
        assert cli.returncode == 1, cli
        assert REBUILD_MESSAGE in cli.stderr and "Traceback" not in cli.stderr, cli.stderr
        assert cli.stdout == ""

        # Rebuilding is all it takes: the same server answers again, no restart.
        shutil.rmtree(index, ignore_errors=True)
        rebuild(load_corpus(SEED_CORPUS), index, procs=1)
        assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]


# --- an unusable index is never replaced -------------------------------------------------


def _damage_manifest_byte(index: Path) -> None:
    manifest = current_generation(index) / "manifest.json"
    data = bytearray(manifest.read_bytes())
    data[0] ^= 0x20  # "{" becomes "[": one byte, no longer the manifest
    manifest.write_bytes(bytes(data))


def _delete_manifest(index: Path) -> None:
    (current_generation(index) / "manifest.json").unlink()


def _other_format(index: Path) -> None:
    manifest = current_generation(index) / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "format": data["format"] + 1}))


UNUSABLE = {"manifest-byte-damaged": _damage_manifest_byte,
            "manifest-deleted": _delete_manifest,
            "another-format": _other_format,
            "generations-deleted": lambda index: shutil.rmtree(index / GENERATIONS)}


@pytest.mark.parametrize("damage", UNUSABLE)
def test_the_server_never_replaces_an_unusable_index_with_the_bundled_corpus(
        index, new_corpus, damage):
    """Only a missing index is built at start; a damaged one is a 503 until rebuilt."""
    UNUSABLE[damage](index)
    left = set((index / GENERATIONS).iterdir()) if (index / GENERATIONS).exists() else set()
    with webui_process(index, "--corpus", str(new_corpus)) as (base, log):
        status, _, body = get(base, "/search.json", q=STEADY)
        assert status == 503 and REBUILD_MESSAGE in json.loads(body)["error"], body
        status, _, body = get(base, "/search", q=NEW_WORD)
        assert status == 503 and REBUILD_MESSAGE in body
        assert "building it" not in log.read_text()
    now = set((index / GENERATIONS).iterdir()) if (index / GENERATIONS).exists() else set()
    assert now == left, "the server wrote a new build"
    cli = subprocess.run([sys.executable, "-m", "search", "--index", str(index), STEADY],
                         cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert cli.returncode == 1 and REBUILD_MESSAGE in cli.stderr, cli


def test_the_server_builds_an_index_that_does_not_exist(tmp_path, new_corpus):
    with webui_process(tmp_path / "index", "--corpus", str(new_corpus)) as (base, log):
        assert keys(base, NEW_WORD) == ["zapatista"]
        assert "building it from" in log.read_text()


# --- exports never hold every thread -----------------------------------------------------


def test_exports_past_the_cap_wait_their_turn_and_searches_keep_answering(
        large_index, monkeypatch):
    """Four exports at once: one runs, the others are a 503 with Retry-After, and a search
    answers while the one runs, on the threads of ``python -m webui`` (one, plus one per
    export slot).  The export that runs is held midway, so that it is still running when
    the search is asked, however fast the machine."""
    app = create_app({"INDEX_DIR": str(large_index), "TESTING": True})
    listing, go_on = threading.Event(), threading.Event()
    list_result = Results.result

    def held_back(self, *args, **kwargs):  # the first to list its results: the export
        if not listing.is_set():
            listing.set()
            go_on.wait(WAIT)
        return list_result(self, *args, **kwargs)

    monkeypatch.setattr(Results, "result", held_back)
    threads = 1 + app.config["EXPORT_SLOTS"]
    with ThreadPoolExecutor(4) as pool, serve(app, threads=threads) as base:
        exports = [pool.submit(fetch, base, "/search.csv", q=SLOW_EXPORT) for _ in range(4)]
        wait_for(listing.is_set, "an export to list its results")
        wait_for(lambda: sum(f.done() for f in exports) == 3, "three exports to be turned away")
        status, _, body = fetch(base, "/search.json", timeout=10, q=STEADY)
        assert status == 200, body
        running = [f for f in exports if not f.done()]
        assert len(running) == 1, "no export was running"
        for status, headers, body in (f.result() for f in exports if f.done()):
            assert status == 503, body
            assert int(headers["Retry-After"]) >= 1
            assert "export" in body and "try again" in body
        go_on.set()
        status, _, body = running[0].result(timeout=WAIT)
        assert status == 200 and len(body.splitlines()) > 1, body


def test_an_update_never_carries_damage_into_the_next_build(index, new_corpus):
    """An update starts from the served build only if its files are as written; else it
    rebuilds, and the damage is gone."""
    _overwrite("en/*._stored.col")(index, "")
    update = subprocess.run(
        [sys.executable, "-m", "indexer", "update", "--corpus", str(new_corpus), "--index",
         str(index), "--no-langid"], cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert update.returncode == 0, update.stderr
    with serving(index) as base:
        assert keys(base, NEW_WORD) == ["zapatista"]
        assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]
        status, _, body = get(base, "/statement/belarus-struggle-against-lukashenko.json")
        assert status == 200 and "Lukashenko" in json.loads(body)["versions"][0]["body"]


# --- Expect: 100-continue on a request without a body ------------------------------------


def _raw_get(base: str, head: str) -> socket.socket:
    """A connection that has sent ``head`` (a request's line and headers), as a client would."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    connection = socket.create_connection((host, port), timeout=10)
    connection.sendall(head.encode())
    return connection


def _response(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or 10 s pass)."""
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except TimeoutError:
        pass
    return received


def test_a_get_that_expects_100_continue_is_answered_and_others_meanwhile(index):
    with webui_process(index) as (base, _):
        waiting = _raw_get(base, "GET /search.json?q=Lukashenko HTTP/1.1\r\nHost: x\r\n"
                                 "Expect: 100-continue\r\nConnection: close\r\n\r\n")
        with waiting:
            assert keys(base, STEADY) == ["belarus-struggle-against-lukashenko"]
            answer = _response(waiting)
    assert b"HTTP/1.1 200 OK" in answer, answer
    assert b"belarus-struggle-against-lukashenko" in answer


def test_worker_processes_share_one_port_and_stop_together(index):
    """``python -m webui --workers 2``: two processes answer on one port; SIGTERM stops both."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(index), "--port", str(port),
         "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, _ = get(base, "/search.json", q="Charlie")
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert status == 200
        assert len(psutil.Process(server.pid).children()) == 2
        assert all(keys(base, "Charlie") == ["after-charlie-hebdo"] for _ in range(6))
    finally:
        server.terminate()
        assert server.wait(timeout=20) == 0
    with pytest.raises(urllib.error.URLError):
        get(base, "/search.json", q="Charlie")
