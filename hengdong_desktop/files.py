"""Writing a document the user asked for (a PDF, a workbook, an enrollment or identity file):
the whole file or nothing. The bytes go to a temporary file beside the target, synced, then
renamed over it; any failure of the machine (a full disk, a write-protected stick, a file open
in Excel) is one sentence naming the file, and nothing half-written stays behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hengdong_desktop.errors import UserError, os_error_sentence


def _new_file_mode() -> int:
    mask = os.umask(0)  # reading the umask means setting it; done once, at import
    os.umask(mask)
    return 0o666 & ~mask


NEW_FILE_MODE = _new_file_mode()


def write_atomically(out: Path, data: bytes, *, what: str = "文件") -> Path:
    """Writes `data` to `out` whole or not at all; returns `out`."""
    out = Path(out).expanduser()
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请给出{what}的文件名。")
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{out.parent}”不存在。")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".hengdong-", suffix=".part", dir=out.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, NEW_FILE_MODE)  # mkstemp makes it private; a saved document is an ordinary file
        os.replace(tmp, out)
    except PermissionError:
        raise UserError(f"无法写入“{out}”：没有写入权限，或文件正被其他程序打开（请关闭后重试）。") from None
    except OSError as exc:
        raise UserError(os_error_sentence(exc, out)) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return out
