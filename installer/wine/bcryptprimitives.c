/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 lacks: cryptography's Rust
   module imports ProcessPrng from it. Built with mingw-w64 into the Wine prefix by
   windows-check.sh; never part of the bundle (Windows 10 and 11 have the real DLL). */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
