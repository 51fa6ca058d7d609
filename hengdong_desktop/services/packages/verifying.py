"""Verifying a batch of received 上报包 for the merge, shared with a second process.

Verification (archive, signature, JSON, codec, rule engine) is Python and holds the GIL, so a
thread would not run it beside the merge's writing; a worker process does. The merge asks for
each file's outcome in order. The worker is fed the lowest files nobody has claimed yet, a few at
a time; a file the worker was not given is verified in the merging process, and while the
worker's file is not ready the merging process verifies a later one instead of waiting. The
worker only reads (reference data, enrolled keys) from its own read-only connection: whatever a
merge writes is checked afterwards against the ledger in the merging process.

A batch smaller than `WORKER_FROM_BYTES`, a database on a network path, or a worker that
cannot start, is verified in the merging process alone."""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hengdong_desktop.db.engine import Database, open_database
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.packages.container import Keys
from hengdong_desktop.services.packages.incoming import IncomingReport, read_report

log = logging.getLogger(__name__)

# Starting the worker costs about a second of CPU; below this many bytes of packages it does
# not pay for itself.
WORKER_FROM_BYTES = 4 * 1024 * 1024
# Outcomes held ahead of the merge, each way (a large package's records take tens of MB).
_AHEAD = 4

Outcome = IncomingReport | UserError


def verify_here(db: Database, path: Path, decrypt: Keys) -> Outcome:
    try:
        with db.read() as s:
            return read_report(s, path, decrypt)
    except UserError as err:
        return err


_worker_db: Database | None = None
_worker_keys: Keys = ()


def _worker_start(target: str, keys: list[bytes]) -> None:
    global _worker_db, _worker_keys
    _worker_db = open_database(target, read_only=True)
    _worker_keys = tuple(X25519PrivateKey.from_private_bytes(k) for k in keys)


def _worker_verify(path: str) -> Outcome:
    assert _worker_db is not None
    outcome = verify_here(_worker_db, Path(path), _worker_keys)
    return outcome.without_files() if isinstance(outcome, IncomingReport) else outcome


def _raw(keys: Keys) -> list[bytes]:
    """The county's decryption keys for the worker, handed over the pipe to the process it starts."""
    return [
        k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        for k in keys
    ]


class BatchVerifier:
    """`verifier[n]`: the outcome of verifying files[n]; ask in order, each once.

    `use_worker` None decides by the batch's size; `steal` False makes the merging process wait
    for the worker's files instead of verifying later ones meanwhile (for tests)."""

    def __init__(
        self,
        db: Database,
        files: list[Path],
        decrypt: Keys,
        *,
        use_worker: bool | None = None,
        steal: bool = True,
    ) -> None:
        self._db, self._files, self._steal, self._decrypt = db, files, steal, decrypt
        self._claimed: set[int] = set()  # given to the worker, or verified (being verified) here
        self._sent: dict[int, Future[Outcome]] = {}
        self._ready: dict[int, Outcome] = {}
        self._pool: ProcessPoolExecutor | None = None
        self.by_worker = 0  # files whose outcome came from the worker
        if use_worker is None:
            use_worker = len(files) > 1 and _total_bytes(files[1:]) >= WORKER_FROM_BYTES
        if use_worker and not db.on_network:
            self._pool = ProcessPoolExecutor(
                1,  # the merging process works on the other core of a two-core PC
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
                initargs=(db.target, _raw(decrypt)),  # a file's path, or a server database's URL
            )

    def __enter__(self) -> BatchVerifier:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop_worker()

    def _stop_worker(self) -> None:
        """Cancels what the worker has not started and waits for the worker process to end: until
        then it holds the database (and its -shm) open, and on Windows an open file cannot be
        renamed or deleted (a restore, a temporary folder's removal)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __getitem__(self, n: int) -> Outcome:
        if n not in self._claimed:
            self._here(n)
        while n not in self._ready:
            future = self._sent[n]
            spare = self._unclaimed() if self._steal and not future.done() and len(self._ready) < _AHEAD else None
            if spare is not None:  # rather than wait for the worker, verify a later file here
                self._here(spare)
                continue
            del self._sent[n]
            outcome = self._take(future)
            self._ready[n] = outcome if outcome is not None else verify_here(self._db, self._files[n], self._decrypt)
        self._feed()
        return self._ready.pop(n)

    def _here(self, n: int) -> None:
        self._claimed.add(n)
        self._feed()  # first give the worker its next files, so that both processes work
        self._ready[n] = verify_here(self._db, self._files[n], self._decrypt)

    def _unclaimed(self) -> int | None:
        return next((n for n in range(len(self._files)) if n not in self._claimed), None)

    def _feed(self) -> None:
        while self._pool is not None and len(self._sent) < _AHEAD:
            n = self._unclaimed()
            if n is None:
                return
            try:
                self._sent[n] = self._pool.submit(_worker_verify, str(self._files[n]))
            except Exception:  # a broken pool: the rest is verified here
                log.exception("校验进程不可用，改为本进程校验")
                self._stop_worker()
                return
            self._claimed.add(n)

    def _take(self, future: Future[Outcome]) -> Outcome | None:
        """The worker's outcome; None when the worker failed (the file is then verified here)."""
        try:
            outcome = future.result()
        except Exception:
            log.exception("校验进程出错，改为本进程校验")
            self._stop_worker()
            return None
        self.by_worker += 1
        return outcome


def _total_bytes(files: list[Path]) -> int:
    total = 0
    for path in files:
        with suppress(OSError):  # an unreadable file is reported by its verification
            total += path.stat().st_size
    return total
