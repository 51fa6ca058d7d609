"""PostgreSQL's own programs (pg_dump, pg_restore, initdb …): where they are on this computer,
and running them for a database URL. The password travels in the child's environment
(PGPASSWORD), never on its command line, where other users could read it."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import URL

from hengdong_desktop.errors import UserError

BIN_ENV = "HENGDONG_PG_BIN"


class ToolMissing(UserError):
    """A PostgreSQL program is not installed here."""


def _candidates() -> list[Path]:
    dirs = []
    if os.environ.get(BIN_ENV):
        dirs.append(Path(os.environ[BIN_ENV]))
    found = shutil.which("pg_dump")
    if found:
        dirs.append(Path(found).parent)
    if sys.platform == "win32":
        patterns = [r"C:\Program Files\PostgreSQL\*\bin"]
    else:
        patterns = ["/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin"]
    for pattern in patterns:
        # the newest major version first: pg_dump must be at least the server's version
        dirs += sorted((Path(p) for p in glob.glob(pattern)), key=_version_key, reverse=True)
    return dirs


def _version_key(path: Path) -> tuple[int, str]:
    digits = "".join(ch for ch in path.parent.name if ch.isdigit())
    return (int(digits) if digits else 0, str(path))


def program(name: str) -> Path:
    """The full path of a PostgreSQL program (`HENGDONG_PG_BIN`, PATH, the usual install folders)."""
    exe = name + (".exe" if sys.platform == "win32" else "")
    for folder in _candidates():
        path = folder / exe
        if path.is_file():
            return path
    raise ToolMissing(
        f"找不到PostgreSQL的程序{name}。请安装PostgreSQL（Debian：apt-get install postgresql-client；"
        f"Windows：PostgreSQL安装程序的Command Line Tools），或用环境变量{BIN_ENV}指明其bin文件夹。"
    )


def environment(url: URL) -> dict[str, str]:
    """libpq's environment for a URL: host, port, account, database and password."""
    env = dict(os.environ)
    query = dict(url.query)
    host = url.host or query.get("host")
    values = {
        "PGHOST": host,
        "PGPORT": url.port or query.get("port"),
        "PGUSER": url.username,
        "PGDATABASE": url.database,
        "PGPASSWORD": url.password,
        "PGCONNECT_TIMEOUT": "10",
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def run(name: str, args: list[str], url: URL, *, what: str) -> subprocess.CompletedProcess[str]:
    """Runs a PostgreSQL program for `url`; a failure becomes a UserError naming `what`."""
    done = subprocess.run(
        [str(program(name)), *args],
        env=environment(url),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise UserError(f"{what}失败：{detail}")
    return done


def dump(url: URL, dest: Path, *, snapshot: str | None = None) -> Path:
    """pg_dump in the custom format (compressed, what pg_restore reads), written beside `dest`
    and renamed into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    # row security on: an office account (not the tables' owner) dumps the rows its policies
    # show it, which are all of them; without it pg_dump would refuse
    args = ["--format=custom", "--no-password", "--enable-row-security", f"--file={part}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    try:
        run("pg_dump", args, url, what="备份服务器数据库（pg_dump）")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(dest)
    return dest


def restore(url: URL, source: Path, *, role: str | None = None) -> None:
    """pg_restore of a custom-format dump over the database, in one transaction: the objects
    of the dump are dropped and made again (as `role`, the schema's owner)."""
    args = [
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={url.database}",
    ]
    if role:
        args.append(f"--role={role}")
    run("pg_restore", [*args, str(source)], url, what="恢复服务器数据库（pg_restore）")
