"""Windows access lists (DACLs) through the Win32 API (advapi32, with ctypes): the one that makes
a file or folder private to the current user, and reading one back. Used by private_files.

An owner-only access list is protected (it inherits nothing from the folder above) and allows
full control to the current user and to SYSTEM (the operating system itself, which backup and
search services run as), to nobody else; a folder's entries are inherited by the files and
folders later created in it. Access lists are written in SDDL: "D:P" is a protected DACL,
"(A;OICI;FA;;;SID)" allows (A) full access (FA) to SID, inherited by files and folders (OICI),
"SY" is SYSTEM. Only `owner_only_sddl` and `grants_only` run on other systems (tests)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

SYSTEM = "SY"
_SE_FILE_OBJECT = 1
_DACL_SECURITY_INFORMATION = 0x4
_PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000
_SDDL_REVISION_1 = 1
_TOKEN_QUERY = 0x8
_TOKEN_USER = 1


def owner_only_sddl(user_sid: str, *, folder: bool) -> str:
    """The access list `protect` gives a file or a folder."""
    inherit = "OICI" if folder else ""
    return f"D:P(A;{inherit};FA;;;{user_sid})(A;{inherit};FA;;;{SYSTEM})"


def grants_only(sddl: str, user_sid: str) -> bool:
    """Every entry of the access list that allows anything names `user_sid` or SYSTEM (inherited
    entries are part of the stored list, so this is what applies now)."""
    aces = [ace.split(";") for ace in re.findall(r"\(([^)]*)\)", sddl)]
    return all(len(fields) == 6 and fields[5] in (user_sid, SYSTEM) for fields in aces if fields[0] in ("A", "OA"))


def _api() -> tuple[Any, Any, Any, Any]:
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    ptr, dword, out_ptr = ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p)
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.LocalFree.argtypes = [ptr]
    kernel32.LocalFree.restype = ptr
    advapi32.OpenProcessToken.argtypes = [wintypes.HANDLE, dword, ctypes.POINTER(wintypes.HANDLE)]
    advapi32.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, ptr, dword, ctypes.POINTER(dword)]
    advapi32.ConvertSidToStringSidW.argtypes = [ptr, ctypes.POINTER(wintypes.LPWSTR)]
    advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [wintypes.LPCWSTR, dword, out_ptr, ptr]
    advapi32.GetSecurityDescriptorDacl.argtypes = [
        ptr,
        ctypes.POINTER(wintypes.BOOL),
        out_ptr,
        ctypes.POINTER(wintypes.BOOL),
    ]
    advapi32.SetNamedSecurityInfoW.argtypes = [wintypes.LPWSTR, ctypes.c_int, dword, ptr, ptr, ptr, ptr]
    advapi32.SetNamedSecurityInfoW.restype = dword
    advapi32.GetNamedSecurityInfoW.argtypes = [wintypes.LPCWSTR, ctypes.c_int, dword, ptr, ptr, ptr, ptr, out_ptr]
    advapi32.GetNamedSecurityInfoW.restype = dword
    advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
        ptr,
        dword,
        dword,
        ctypes.POINTER(wintypes.LPWSTR),
        ptr,
    ]
    return ctypes, wintypes, advapi32, kernel32


def _check(ok: int) -> None:
    import ctypes

    if not ok:
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]


def current_user_sid() -> str:
    """The SID of the user this process runs as, e.g. "S-1-5-21-…-1001"."""
    ctypes, wintypes, advapi32, kernel32 = _api()
    token = wintypes.HANDLE()
    _check(advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)))
    try:
        size = wintypes.DWORD()
        advapi32.GetTokenInformation(token, _TOKEN_USER, None, 0, ctypes.byref(size))  # asks for the size
        buffer = ctypes.create_string_buffer(size.value)
        _check(advapi32.GetTokenInformation(token, _TOKEN_USER, buffer, size, ctypes.byref(size)))
        sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER starts with the SID pointer
        text = wintypes.LPWSTR()
        _check(advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)))
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)
    finally:
        kernel32.CloseHandle(token)


def protect(path: Path) -> None:
    """Gives `path` the owner-only access list (OSError when the file system refuses)."""
    ctypes, wintypes, advapi32, kernel32 = _api()
    sddl = owner_only_sddl(current_user_sid(), folder=path.is_dir())
    descriptor = ctypes.c_void_p()
    _check(
        advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl, _SDDL_REVISION_1, ctypes.byref(descriptor), None
        )
    )
    try:
        present, defaulted, dacl = wintypes.BOOL(), wintypes.BOOL(), ctypes.c_void_p()
        _check(
            advapi32.GetSecurityDescriptorDacl(
                descriptor, ctypes.byref(present), ctypes.byref(dacl), ctypes.byref(defaulted)
            )
        )
        error = advapi32.SetNamedSecurityInfoW(
            str(path),
            _SE_FILE_OBJECT,
            _DACL_SECURITY_INFORMATION | _PROTECTED_DACL_SECURITY_INFORMATION,
            None,
            None,
            dacl,
            None,
        )
        if error:
            raise ctypes.WinError(error)
    finally:
        kernel32.LocalFree(descriptor)


def dacl(path: Path) -> str:
    """The access list of `path` in SDDL, e.g. "D:P(A;;FA;;;S-1-5-21-…)(A;;FA;;;SY)"."""
    ctypes, wintypes, advapi32, kernel32 = _api()
    descriptor = ctypes.c_void_p()
    error = advapi32.GetNamedSecurityInfoW(
        str(path), _SE_FILE_OBJECT, _DACL_SECURITY_INFORMATION, None, None, None, None, ctypes.byref(descriptor)
    )
    if error:
        raise ctypes.WinError(error)
    try:
        text = wintypes.LPWSTR()
        _check(
            advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(
                descriptor, _SDDL_REVISION_1, _DACL_SECURITY_INFORMATION, ctypes.byref(text), None
            )
        )
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)
    finally:
        kernel32.LocalFree(descriptor)
