"""A throw-away PostgreSQL cluster for tests, benchmarks and CI: initdb into a temporary folder,
a server on a free local port (TCP on 127.0.0.1 and a socket in the folder), stopped and
deleted afterwards. Uses the installed PostgreSQL programs (Debian's `postgresql` package);
as root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).

The administrator `postgres` logs in without a password from this machine's socket and over
TCP (tests are its only users); every other account needs its password (SCRAM), so the role
tests log in as real accounts do.

    python -m tools.pg_cluster          # start one, print its URL, stop on Enter
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from hengdong_desktop.db import pg_tools

ADMIN = "postgres"
# Durability is not wanted of a cluster deleted at the end of the run: skip the syncs.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "64MB",
    "max_locks_per_transaction": "256",
}


def available() -> bool:
    """Whether a cluster can be started here (the server programs are installed)."""
    try:
        pg_tools.program("initdb")
        pg_tools.program("pg_ctl")
    except pg_tools.ToolMissing:
        return False
    return os.geteuid() != 0 or _postgres_user_exists() if hasattr(os, "geteuid") else True


def _postgres_user_exists() -> bool:
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


def _kill(pid: int) -> None:
    """Stops a postmaster by its process id (SIGQUIT: immediate shutdown; then SIGKILL)."""
    import signal

    for sig in (signal.SIGQUIT, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        for _ in range(50):
            time.sleep(0.1)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = ADMIN, password: str | None = None) -> str:
        auth = user + (f":{password}" if password else "")
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls, settings: dict[str, str] | None = None) -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="hengdong-pg-"))
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if as_root:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, _free_port())
        try:
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                ADMIN,
                "--encoding=UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            )
            hba = cluster.data / "pg_hba.conf"
            lines = hba.read_text().splitlines()
            # the administrator without a password over TCP too; everyone else with one
            admin = f"host all {ADMIN} 127.0.0.1/32 trust"
            hba.write_text("\n".join([admin, *lines]) + "\n")
            options = {
                **FAST_SETTINGS,
                **(settings or {}),
                "port": str(cluster.port),
                "listen_addresses": "127.0.0.1",
                "unix_socket_directories": str(folder),
            }
            with open(cluster.data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.writelines(f"{k} = '{v}'\n" for k, v in options.items())
            cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start")
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _run(self, name: str, *args: str) -> None:
        command = [str(pg_tools.program(name)), *args]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed: {done.stdout}\n{done.stderr}")

    def stop(self) -> None:
        """Stops the server (killing it if pg_ctl cannot) and deletes the folder, never the other
        way round: a server must not go on running on a deleted folder."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop")
            except RuntimeError:
                _kill(pid)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    with Cluster.start() as c:
        print(c.url())
        input("Enter 停止并删除 …")
