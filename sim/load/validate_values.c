/* validate_values.c - scalar values of a scenario: names, integers, ASNs, prefixes, addresses, words, durations. */
#include "validator.h"
#include "arsim/names.h"
#include "arsim/timefmt.h"

#include <math.h>
#include <string.h>

/* ---- scalar values ----------------------------------------------------------------------- */

static gboolean name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > AR_NAME_MAX_LEN || !g_ascii_isalnum(n[0]))
        return FALSE;
    for (size_t i = 1; i < len; i++)
        if (!g_ascii_isalnum(n[i]) && n[i] != '_' && n[i] != '.' && n[i] != '-')
            return FALSE;
    return TRUE;
}

/* Reports a bad name but returns it anyway, so references to it still resolve. */
const char *vd_check_name(Ctx *c, const cJSON *v, const char *ptr)
{
    if (!v)
        return NULL;
    const char *n = v->valuestring;
    if (!name_ok(n))
        ERR(c, v, ptr,
            "invalid name %s: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit%s",
            Q(c, n), AR_NAME_MAX_LEN,
            strchr(n, '/') ? " ('/' is reserved for generated node names such as \"ars/0\")" : "");
    return n;
}

/* A JSON number that is a whole number (65001 and 65001.0 alike). */
gboolean vd_get_whole(Ctx *c, const cJSON *v, const char *ptr, double *out)
{
    double x = v->valuedouble;
    if (!isfinite(x) || x != floor(x)) {
        ERR(c, v, ptr, "expected an integer, got %.17g", x);
        return FALSE;
    }
    *out = x;
    return TRUE;
}

gboolean vd_get_uint_range(Ctx *c, const cJSON *v, const char *ptr, double min, double max, uint32_t *out)
{
    double x;
    if (!vd_get_whole(c, v, ptr, &x))
        return FALSE;
    if (x < min || x > max) {
        ERR(c, v, ptr, "%.0f is out of range (%.0f..%.0f)", x, min, max);
        return FALSE;
    }
    *out = (uint32_t)x;
    return TRUE;
}

/* NVA ASNs (FAQ): 16-bit, not reserved by Azure or IANA. 65516 only warns: the docs disagree. */
gboolean vd_get_nva_asn(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    double x;
    if (!vd_get_whole(c, v, ptr, &x))
        return FALSE;
    if (x == 0) {
        ERR(c, v, ptr, "ASN 0 is reserved (RFC 7607); use a private ASN such as 65001");
        return FALSE;
    }
    if (x < 0 || x > AR_NVA_ASN_MAX) {
        ERR(c, v, ptr, "ASN %.0f: arsim models 16-bit NVA ASNs only (FAQ); use 1..65534", x);
        return FALSE;
    }
    uint32_t a = (uint32_t)x;
    const char *why = NULL;
    if (a == AR_ASN_ROUTE_SERVER)
        why = "65515 is reserved by Azure (the Route Server's own ASN)";
    else if (a == AR_ASN_AZURE_PUBLIC_1 || a == AR_ASN_AZURE_PUBLIC_2 || a == AR_ASN_MSEE)
        why = "is a public ASN of Azure";
    else if (a >= AR_ASN_RESERVED_LO && a <= AR_ASN_RESERVED_HI)
        why = "is reserved by Azure";
    else if (a == 23456)
        why = "is reserved by IANA (AS_TRANS)";
    else if (a >= 64496 && a <= 64511)
        why = "is reserved by IANA for documentation";
    else if (a == 65535)
        why = "is reserved by IANA";
    if (why) {
        if (a == AR_ASN_ROUTE_SERVER)
            ERR(c, v, ptr, "%s; use a private ASN such as 65001", why);
        else
            ERR(c, v, ptr, "%u %s; use a private ASN such as 65001", a, why);
        return FALSE;
    }
    if (a == AR_ASN_AMBIGUOUS)
        WARN(c, v, ptr, "65516 may be reserved by Azure (the docs are ambiguous); prefer a private ASN such as 65001");
    *out = a;
    return TRUE;
}

/* On-premises and VPN gateway ASNs: 32-bit, and not Azure's own nor IANA's reserved ones.
 * allow_65515 is for a VPN gateway, whose default ASN that is. */
gboolean vd_get_wide_asn(Ctx *c, const cJSON *v, const char *ptr, gboolean allow_65515, uint32_t *out)
{
    double x;
    if (!vd_get_whole(c, v, ptr, &x))
        return FALSE;
    if (x == 0) {
        ERR(c, v, ptr, "ASN 0 is reserved (RFC 7607)");
        return FALSE;
    }
    if (x < 0 || x > AR_WIDE_ASN_MAX) {
        ERR(c, v, ptr, "ASN %.0f is out of range (1..4294967294)", x);
        return FALSE;
    }
    uint32_t a = (uint32_t)x;
    if (a == AR_ASN_AZURE_PUBLIC_1 || a == AR_ASN_AZURE_PUBLIC_2 || a == AR_ASN_MSEE ||
        (a == AR_ASN_ROUTE_SERVER && !allow_65515) || (a >= AR_ASN_RESERVED_LO && a <= AR_ASN_RESERVED_HI)) {
        ERR(c, v, ptr, "ASN %u is one of Azure's own; %s cannot reuse Azure's ASNs", a,
            allow_65515 ? "a VPN gateway" : "on-premises networks");
        return FALSE;
    }
    if (a == 23456 || a == 65535) {
        ERR(c, v, ptr, "ASN %u is reserved by IANA", a);
        return FALSE;
    }
    *out = a;
    return TRUE;
}

gboolean vd_get_prefix(Ctx *c, const cJSON *v, const char *ptr, ArPrefix *out)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected a CIDR prefix string such as \"10.1.0.0/16\", got %s", load_type_name(v));
        return FALSE;
    }
    char buf[PFX_STRLEN];
    switch (pfx_parse(v->valuestring, out)) {
    case PFX_OK:
        return TRUE;
    case PFX_HOST_BITS:
        ERR(c, v, ptr, "%s has host bits set; did you mean %s?", v->valuestring, pfx_format(*out, buf));
        return FALSE;
    case PFX_BAD_SYNTAX:
        break;
    }
    ERR(c, v, ptr, "%s is not an IPv4 prefix in CIDR form (a.b.c.d/len, e.g. \"10.1.0.0/16\")",
        Q(c, v->valuestring));
    return FALSE;
}

gboolean vd_get_prefix_at(Ctx *c, const cJSON *v, const char *base, int i, ArPrefix *out)
{
    if (cJSON_IsString(v) && pfx_parse(v->valuestring, out) == PFX_OK)
        return TRUE;
    return vd_get_prefix(c, v, PI(c, base, i), out);
}

gboolean vd_get_ip(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected an IPv4 address string such as \"10.1.1.4\", got %s", load_type_name(v));
        return FALSE;
    }
    if (ip_parse(v->valuestring, out))
        return TRUE;
    ERR(c, v, ptr, "%s is not an IPv4 address (a.b.c.d%s)", Q(c, v->valuestring),
        strchr(v->valuestring, '/') ? ", without /len" : "");
    return FALSE;
}

/* Index of s in choices; reports (with the right spelling when only the case differs) if absent. */
static int get_enum(Ctx *c, const cJSON *v, const char *ptr, const char *key, const char *const *choices, int n)
{
    const char *s = v->valuestring;
    for (int i = 0; i < n; i++)
        if (strcmp(s, choices[i]) == 0)
            return i;
    const char *same_case = NULL;
    for (int i = 0; i < n; i++)
        if (g_ascii_strcasecmp(s, choices[i]) == 0)
            same_case = choices[i];
    if (same_case) {
        ERR(c, v, ptr, "%s is not a valid %s; did you mean \"%s\"?", Q(c, s), key, same_case);
    } else {
        g_autofree char *list = names_choices(choices, (guint)n);
        ERR(c, v, ptr, "%s is not a valid %s; use %s", Q(c, s), key, list);
    }
    return -1;
}

int vd_get_word(Ctx *c, const cJSON *v, const char *ptr, const char *label, const ArFmtKey *k)
{
    g_assert(k->words);
    return get_enum(c, v, ptr, label, k->words, k->n_words);
}

gboolean vd_get_key_uint(Ctx *c, const cJSON *v, const char *ptr, const ArFmtKey *k, uint32_t *out)
{
    g_assert(k->min < k->max);
    return vd_get_uint_range(c, v, ptr, k->min, k->max, out);
}

gboolean vd_get_bool(const cJSON *v, gboolean dflt)
{
    return v ? cJSON_IsTrue(v) : dflt;
}

/* "A:B" with A and B in 0..65535, as one 32-bit value. */
gboolean vd_parse_community(const char *s, uint32_t *out)
{
    uint32_t part[2];
    for (int i = 0; i < 2; i++) {
        int digits = 0;
        uint32_t v = 0;
        while (*s >= '0' && *s <= '9' && digits < 6) {
            v = v * 10 + (uint32_t)(*s++ - '0');
            digits++;
        }
        /* No leading zeros ("065001:1"), as for addresses: one spelling per value. */
        if (digits == 0 || digits > 5 || v > 65535 || (digits > 1 && s[-digits] == '0') ||
            *s != (i == 0 ? ':' : '\0'))
            return FALSE;
        s++;
        part[i] = v;
    }
    *out = part[0] << 16 | part[1];
    return TRUE;
}

gboolean vd_get_community(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    if (cJSON_IsString(v) && vd_parse_community(v->valuestring, out))
        return TRUE;
    ERR(c, v, ptr, "expected a community \"A:B\" with A and B from 0 to 65535, e.g. \"65535:65282\" (NO_ADVERTISE)");
    return FALSE;
}

/* A duration: a number of seconds (fractions allowed) or a string "<number><unit>" with unit ms, s,
 * m, h or d. Microsecond resolution; at most a year. */
gboolean vd_get_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out)
{
    bool ok = cJSON_IsNumber(v) ? dur_from_seconds(v->valuedouble, AR_US(AR_TIME_MAX_S), out)
                                : dur_parse(v->valuestring, AR_US(AR_TIME_MAX_S), out);
    if (!ok)
        ERR(c, v, ptr, "%s is not a duration from 0 to 365 days; write seconds (90) or a string with a unit: "
                       "\"250ms\", \"90s\", \"5m\", \"1h\", \"7d\"",
            cJSON_IsString(v) ? Q(c, v->valuestring) : "this number");
    return ok;
}

/* A node's own hold time (RFC 4271 4.2: 0, or at least 3 s); the session uses the smaller end's. */
void vd_get_hold_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out)
{
    uint64_t t;
    if (!vd_get_time(c, v, ptr, &t))
        return;
    if (t && t < AR_US(AR_HOLD_TIME_MIN_S)) {
        ERR(c, v, ptr, "a BGP hold time is 0 (no hold timer) or at least 3 s (RFC 4271 4.2)");
        return;
    }
    *out = t;
}
