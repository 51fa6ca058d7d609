/* Test-only stand-in for mscms.dll (Windows color management), for the real-window test only.
   Qt's windows platform plugin (qwindows.dll) imports four functions from it to read the monitor's
   color profile; Wine 8.0's mscms.dll leaves WcsCreateIccProfile unimplemented, and calling it aborts
   the program. Here no monitor has a color profile, which Qt handles (it assumes sRGB), as Windows
   does for a monitor without one. Loaded only where windows-check.sh asks for it (WINEDLLOVERRIDES
   mscms=n with this file beside python.exe's copy in the test folder); never shipped. */
#include <windows.h>

typedef HANDLE HPROFILE;

__declspec(dllexport) HPROFILE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD sharing, DWORD creation)
{
    (void)profile; (void)access; (void)sharing; (void)creation;
    SetLastError(ERROR_FILE_NOT_FOUND);
    return NULL;
}

__declspec(dllexport) BOOL WINAPI GetColorProfileFromHandle(HPROFILE profile, BYTE *buffer, DWORD *size)
{
    (void)profile; (void)buffer; (void)size;
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
}

__declspec(dllexport) BOOL WINAPI CloseColorProfile(HPROFILE profile)
{
    (void)profile;
    return TRUE;
}

__declspec(dllexport) HPROFILE WINAPI WcsCreateIccProfile(HPROFILE profile, DWORD options)
{
    (void)profile; (void)options;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
