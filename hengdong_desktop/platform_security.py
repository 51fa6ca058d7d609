"""Owner-only files and folders: private keys, databases and backups that only the user who made
them can open.

POSIX: mode 0600 for a file, 0700 for a folder. Windows, where those mode bits mean nothing: the
object's access list (DACL) is replaced by a protected one, which inherits nothing from the folder
above, granting full control to the current user and to SYSTEM (the operating system itself, which
backup and search services run as) and to nobody else; a folder's entries are inherited by the files
later created in it. Done through the Win32 API (advapi32) with ctypes, so no extra package.

`write_private_file` creates a file that is private before the first byte is written;
`protect` makes an existing file or folder private; `is_owner_only` tells whether it is. A file
system that keeps no permissions (FAT32 on a USB stick, some network shares) is logged and the
work goes on: refusing would leave the clerk with no way to work from such a drive."""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def write_private_file(path: Path, data: bytes) -> None:
    """Creates `path` (never over an existing file: FileExistsError) readable and writable by this
    user only, then writes `data` and flushes it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        if sys.platform == "win32":
            protect(path)  # still empty: nothing readable was ever exposed
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def protect(path: Path) -> bool:
    """Makes an existing file or folder readable and writable by this user only; False (and a
    warning in the log) when the file system refuses."""
    folder = path.is_dir()
    try:
        if sys.platform == "win32":
            _windows_protect(path, folder=folder)
        else:
            os.chmod(path, FOLDER_MODE if folder else FILE_MODE)
    except OSError as exc:
        log.warning("could not make %s private to its user: %s", path, exc)
        return False
    return True


def is_owner_only(path: Path) -> bool:
    """True when nobody but this user (and, on Windows, SYSTEM) is granted access to `path`."""
    if sys.platform == "win32":
        return _windows_owner_only(path)
    st = path.stat()
    return st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077 == 0


# Windows -----------------------------------------------------------------------------------------
# Access lists are written in SDDL: "D:P" is a protected DACL; "(A;OICI;FA;;;SID)" allows (A) full
# access (FA) to SID, inherited by files and subfolders (OICI); "SY" is SYSTEM.
_SE_FILE_OBJECT = 1
_DACL_SECURITY_INFORMATION = 0x4
_PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000
_SDDL_REVISION_1 = 1
_TOKEN_QUERY = 0x8
_TOKEN_USER = 1
_SYSTEM = "SY"


def _win32():  # type: ignore[no-untyped-def]
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p
    advapi32.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, ctypes.POINTER(wintypes.HANDLE)]
    advapi32.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD,
                                             ctypes.POINTER(wintypes.DWORD)]
    advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(wintypes.LPWSTR)]
    advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
        wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]
    advapi32.GetSecurityDescriptorDacl.argtypes = [ctypes.c_void_p, ctypes.POINTER(wintypes.BOOL),
                                                   ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(wintypes.BOOL)]
    advapi32.SetNamedSecurityInfoW.argtypes = [wintypes.LPWSTR, ctypes.c_int, wintypes.DWORD, ctypes.c_void_p,
                                               ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    advapi32.SetNamedSecurityInfoW.restype = wintypes.DWORD
    advapi32.GetNamedSecurityInfoW.argtypes = [wintypes.LPCWSTR, ctypes.c_int, wintypes.DWORD, ctypes.c_void_p,
                                               ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                               ctypes.POINTER(ctypes.c_void_p)]
    advapi32.GetNamedSecurityInfoW.restype = wintypes.DWORD
    advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
        ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.POINTER(wintypes.LPWSTR), ctypes.c_void_p]
    return ctypes, wintypes, advapi32, kernel32


def _check(ok: int, ctypes) -> None:  # type: ignore[no-untyped-def]
    if not ok:
        raise ctypes.WinError(ctypes.get_last_error())


def current_user_sid() -> str:
    """The SID of the user this process runs as, e.g. "S-1-5-21-…-1001" (Windows only)."""
    ctypes, wintypes, advapi32, kernel32 = _win32()
    token = wintypes.HANDLE()
    _check(advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)), ctypes)
    try:
        size = wintypes.DWORD()
        advapi32.GetTokenInformation(token, _TOKEN_USER, None, 0, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        _check(advapi32.GetTokenInformation(token, _TOKEN_USER, buffer, size, ctypes.byref(size)), ctypes)
        sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER starts with the SID pointer
        text = wintypes.LPWSTR()
        _check(advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)), ctypes)
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)
    finally:
        kernel32.CloseHandle(token)


def owner_only_sddl(user_sid: str, *, folder: bool) -> str:
    """The access list `protect` gives a file or folder on Windows."""
    inherit = "OICI" if folder else ""
    return f"D:P(A;{inherit};FA;;;{user_sid})(A;{inherit};FA;;;{_SYSTEM})"


def grants_only(sddl: str, user_sid: str) -> bool:
    """Every entry of the access list that allows anything names `user_sid` or SYSTEM."""
    aces = [ace.split(";") for ace in re.findall(r"\(([^)]*)\)", sddl)]
    return all(len(fields) == 6 and fields[5] in (user_sid, _SYSTEM) for fields in aces if fields[0] in ("A", "OA"))


def _windows_protect(path: Path, *, folder: bool) -> None:
    ctypes, wintypes, advapi32, kernel32 = _win32()
    sddl = owner_only_sddl(current_user_sid(), folder=folder)
    descriptor = ctypes.c_void_p()
    _check(advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
        sddl, _SDDL_REVISION_1, ctypes.byref(descriptor), None), ctypes)
    try:
        present, defaulted, dacl = wintypes.BOOL(), wintypes.BOOL(), ctypes.c_void_p()
        _check(advapi32.GetSecurityDescriptorDacl(descriptor, ctypes.byref(present), ctypes.byref(dacl),
                                                  ctypes.byref(defaulted)), ctypes)
        error = advapi32.SetNamedSecurityInfoW(
            str(path), _SE_FILE_OBJECT, _DACL_SECURITY_INFORMATION | _PROTECTED_DACL_SECURITY_INFORMATION,
            None, None, dacl, None)
        if error:
            raise ctypes.WinError(error)
    finally:
        kernel32.LocalFree(descriptor)


def windows_dacl(path: Path) -> str:
    """The access list of `path` in SDDL, e.g. "D:P(A;;FA;;;S-1-5-21-…)(A;;FA;;;SY)" (Windows only)."""
    ctypes, wintypes, advapi32, kernel32 = _win32()
    descriptor = ctypes.c_void_p()
    error = advapi32.GetNamedSecurityInfoW(str(path), _SE_FILE_OBJECT, _DACL_SECURITY_INFORMATION,
                                           None, None, None, None, ctypes.byref(descriptor))
    if error:
        raise ctypes.WinError(error)
    try:
        text = wintypes.LPWSTR()
        _check(advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(
            descriptor, _SDDL_REVISION_1, _DACL_SECURITY_INFORMATION, ctypes.byref(text), None), ctypes)
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)
    finally:
        kernel32.LocalFree(descriptor)


def _windows_owner_only(path: Path) -> bool:
    # Inherited entries are part of the stored list, so this is what applies now.
    return grants_only(windows_dacl(path), current_user_sid())
