/* Test-only stand-in for Windows 10's system ICU (icuuc.dll), which Wine 8.0 lacks. Qt6Core
   imports the ucnv_* converter API from it, used only for codecs Qt does not implement itself
   (UTF-8/16/32 and Latin-1 need none, and the app uses no other). Every ICU converter is reported
   as unavailable. Built with mingw-w64 into the Wine prefix by windows-check.sh; never shipped. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode; /* U_ZERO_ERROR = 0; failures > 0 */
#define U_UNSUPPORTED_ERROR 16
#define API __declspec(dllexport)

static int fail(UErrorCode *err)
{
    if (err && *err <= 0)
        *err = U_UNSUPPORTED_ERROR;
    return 0;
}

API void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
API void ucnv_close(void *cnv) { (void)cnv; }
API void ucnv_reset(void *cnv) { (void)cnv; }
API int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 4; }
API const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return ""; }
API void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_setToUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(err); }
API void ucnv_setFromUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(err); }
API void ucnv_cbToUWriteUChars(void *a, const uint16_t *s, int32_t l, int32_t o, UErrorCode *err)
{ (void)a; (void)s; (void)l; (void)o; fail(err); }
API void ucnv_cbFromUWriteUChars(void *a, const uint16_t **s, const uint16_t *e, int32_t o, UErrorCode *err)
{ (void)a; (void)s; (void)e; (void)o; fail(err); }
API void ucnv_toUnicode(void *c, uint16_t **t, const uint16_t *tl, const char **s, const char *sl, int32_t *o,
                        int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
API void ucnv_fromUnicode(void *c, char **t, const char *tl, const uint16_t **s, const uint16_t *sl, int32_t *o,
                          int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
API int32_t ucnv_toUCountPending(const void *c, UErrorCode *err) { (void)c; return fail(err); }
API int32_t ucnv_fromUCountPending(const void *c, UErrorCode *err) { (void)c; return fail(err); }
API const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *err) { (void)n; (void)s; fail(err); return NULL; }
API const char *ucnv_getAvailableName(int32_t i) { (void)i; return NULL; }
API int32_t ucnv_countAvailable(void) { return 0; }
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const uint16_t *c, int32_t d, int32_t e, int f,
                                         UErrorCode *err)
{ (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; fail(err); }
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *a, void *b, const char *c, int32_t d, int f, UErrorCode *err)
{ (void)a; (void)b; (void)c; (void)d; (void)f; fail(err); }
