/* mrt.c - reads routing tables from MRT TABLE_DUMP_V2 files (RFC 6396) and `bgpdump -m` text. */
#include "arsim/mrt.h"
#include "arsim/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MRT_MAX_FILE ((guint64)4 << 30) /* larger files are refused: 4 GiB is ~60M routes */
#define WITHDRAWN UINT32_MAX           /* ArTableRoute.attrs of a text W line until the table is finished */

/* BGP path attribute types read (RFC 4271 4.3, RFC 1997). */
enum { ATTR_ORIGIN = 1, ATTR_AS_PATH = 2, ATTR_NEXT_HOP = 3, ATTR_MED = 4, ATTR_COMMUNITIES = 8 };
/* AS_PATH segment types (RFC 4271 4.3, RFC 5065). */
enum { SEG_SET = 1, SEG_SEQUENCE = 2, SEG_CONFED_SEQUENCE = 3, SEG_CONFED_SET = 4 };

/* State of one parse. */
typedef struct Rd {
    ArRouteTable *t;           /* the table filled */
    const ArMrtPeerSel *sel;   /* which entries to take */
    GError **error;            /* where the first error goes */
    GHashTable *sets;          /* GBytes (canonical attribute set) -> index + 1 in t->attrs */
    GArray *path;              /* scratch: the AS path being decoded */
    GArray *comms;             /* scratch: the communities being decoded */
    GArray *peer_ip;           /* uint32_t per PEER_INDEX_TABLE entry (0 for an IPv6 peer) */
    GArray *peer_as;           /* uint32_t per PEER_INDEX_TABLE entry */
    bool have_index;           /* a PEER_INDEX_TABLE was read */
    const uint8_t *last_raw;   /* raw attributes of the last route taken, to skip decoding repeats */
    size_t last_len;           /* their length */
    uint32_t last_attrs;       /* their index in t->attrs */
    size_t rec_at;             /* MRT: offset of the record being read */
    const char *rec_name;      /* MRT: its type, for messages */
    guint line;                /* text: the line being read (1-based) */
} Rd;

static void rd_init(Rd *r, ArRouteTable *t, const ArMrtPeerSel *sel, GError **error)
{
    static const ArMrtPeerSel any = { 0 };
    *r = (Rd){ .t = t, .sel = sel ? sel : &any, .error = error };
    r->sets = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    r->path = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->comms = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->peer_ip = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->peer_as = g_array_new(FALSE, FALSE, sizeof(uint32_t));
}

static void rd_clear(Rd *r)
{
    g_hash_table_destroy(r->sets);
    g_array_free(r->path, TRUE);
    g_array_free(r->comms, TRUE);
    g_array_free(r->peer_ip, TRUE);
    g_array_free(r->peer_as, TRUE);
}

/* An MRT error: "FILE: byte N (TYPE record at byte M): message". Always FALSE. */
static gboolean G_GNUC_PRINTF(3, 4) rd_fail(Rd *r, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(r->error, AR_ERROR, AR_ERROR_INPUT, "%s: byte %zu (%s record at byte %zu): %s", r->t->file, at,
                r->rec_name, r->rec_at, msg);
    return FALSE;
}

/* A text error: "FILE:LINE: message". Always FALSE. */
static gboolean G_GNUC_PRINTF(2, 3) rd_fail_line(Rd *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(r->error, AR_ERROR, AR_ERROR_INPUT, "%s:%u: %s", r->t->file, r->line, msg);
    return FALSE;
}

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The decoded set (r->path, r->comms, origin, med) as an index in t->attrs, added when new:
 * one hash lookup, O(path + communities). */
static uint32_t rd_intern(Rd *r, uint8_t origin, uint32_t med)
{
    ArRouteTable *t = r->t;
    guint np = r->path->len, nc = r->comms->len;
    /* Canonical form: origin, med, path length, path, communities. */
    gsize n = 3 + (gsize)np + nc;
    uint32_t *key = g_new(uint32_t, n);
    key[0] = origin;
    key[1] = med;
    key[2] = np;
    if (np)
        memcpy(key + 3, r->path->data, np * sizeof(uint32_t));
    if (nc)
        memcpy(key + 3 + np, r->comms->data, nc * sizeof(uint32_t));
    GBytes *b = g_bytes_new_take(key, n * sizeof(uint32_t));
    gpointer v = g_hash_table_lookup(r->sets, b);
    if (v) {
        g_bytes_unref(b);
        return GPOINTER_TO_UINT(v) - 1;
    }
    ArTableAttrs a = { .path_at = t->asns->len, .path_len = np, .comm_at = t->comms->len, .comm_len = nc,
                       .med = med, .origin = origin };
    g_array_append_vals(t->asns, r->path->data, np);
    g_array_append_vals(t->comms, r->comms->data, nc);
    g_array_append_val(t->attrs, a);
    g_hash_table_insert(r->sets, b, GUINT_TO_POINTER(t->attrs->len));
    return t->attrs->len - 1;
}

/* ---- MRT ------------------------------------------------------------------------------------ */

static const char *record_name(uint16_t type, uint16_t sub)
{
    if (type == MRT_TABLE_DUMP_V2) {
        switch (sub) {
        case MRT_PEER_INDEX_TABLE: return "TABLE_DUMP_V2/PEER_INDEX_TABLE";
        case MRT_RIB_IPV4_UNICAST: return "TABLE_DUMP_V2/RIB_IPV4_UNICAST";
        case MRT_RIB_IPV4_UNICAST_ADDPATH: return "TABLE_DUMP_V2/RIB_IPV4_UNICAST_ADDPATH";
        case MRT_RIB_IPV6_UNICAST: return "TABLE_DUMP_V2/RIB_IPV6_UNICAST";
        default: return "TABLE_DUMP_V2";
        }
    }
    switch (type) {
    case MRT_TABLE_DUMP: return "TABLE_DUMP";
    case MRT_BGP4MP: return "BGP4MP";
    case MRT_BGP4MP_ET: return "BGP4MP_ET";
    default: return "MRT";
    }
}

static gboolean read_peer_index(Rd *r, const uint8_t *d, size_t at, size_t end)
{
    size_t p = at;
    if (end - p < 6)
        return rd_fail(r, p, "truncated: collector BGP ID and view name length need 6 bytes, %zu left", end - p);
    size_t view = be16(d + p + 4);
    p += 6;
    if (end - p < view + 2)
        return rd_fail(r, p, "truncated: view name of %zu bytes and peer count need %zu bytes, %zu left", view,
                       view + 2, end - p);
    p += view;
    guint count = be16(d + p);
    p += 2;
    g_array_set_size(r->peer_ip, 0);
    g_array_set_size(r->peer_as, 0);
    for (guint i = 0; i < count; i++) {
        if (end - p < 1)
            return rd_fail(r, p, "truncated: peer entry %u of %u missing", i, count);
        uint8_t type = d[p];
        size_t need = 1 + 4 + ((type & 1) ? 16 : 4) + ((type & 2) ? 4 : 2);
        if (end - p < need)
            return rd_fail(r, p, "truncated: peer entry %u needs %zu bytes, %zu left", i, need, end - p);
        uint32_t ip = (type & 1) ? 0 : be32(d + p + 5);
        size_t as_at = p + 5 + ((type & 1) ? 16 : 4);
        uint32_t asn = (type & 2) ? be32(d + as_at) : be16(d + as_at);
        g_array_append_val(r->peer_ip, ip);
        g_array_append_val(r->peer_as, asn);
        p += need;
    }
    if (p != end)
        return rd_fail(r, p, "%zu bytes left over after the last of %u peer entries", end - p, count);
    r->have_index = true;
    if (r->sel->by_index && r->sel->index >= count)
        return rd_fail(r, at, "peer index %u chosen, but the PEER_INDEX_TABLE lists %u peers (0 to %u)",
                       r->sel->index, count, count ? count - 1 : 0);
    if (r->sel->by_ip) {
        for (guint i = 0; i < count; i++)
            if (g_array_index(r->peer_ip, uint32_t, i) == r->sel->ip)
                return TRUE;
        GString *list = g_string_new(NULL);
        for (guint i = 0; i < count && i < 8; i++) {
            char b[IP_STRLEN];
            g_string_append_printf(list, "%s%s (index %u, AS %u)", i ? ", " : "",
                                   ip_format(g_array_index(r->peer_ip, uint32_t, i), b), i,
                                   g_array_index(r->peer_as, uint32_t, i));
        }
        char b[IP_STRLEN];
        gboolean ok = rd_fail(r, at, "no peer %s in the PEER_INDEX_TABLE; its peers: %s%s", ip_format(r->sel->ip, b),
                              count ? list->str : "none", count > 8 ? ", ..." : "");
        g_string_free(list, TRUE);
        return ok;
    }
    return TRUE;
}

/* Decodes the path attributes in d[at, end) into r->path, r->comms, *origin, *med. */
static gboolean read_attrs(Rd *r, const uint8_t *d, size_t at, size_t end, uint8_t *origin, uint32_t *med)
{
    g_array_set_size(r->path, 0);
    g_array_set_size(r->comms, 0);
    *origin = ORIGIN_IGP;
    *med = 0;
    size_t p = at;
    while (p < end) {
        if (end - p < 3)
            return rd_fail(r, p, "truncated path attribute header (%zu bytes left)", end - p);
        uint8_t flags = d[p], type = d[p + 1];
        size_t hdr = (flags & 0x10) ? 4 : 3;
        if (end - p < hdr)
            return rd_fail(r, p, "truncated path attribute header (%zu bytes left)", end - p);
        size_t len = (flags & 0x10) ? be16(d + p + 2) : d[p + 2];
        size_t v = p + hdr;
        if (end - v < len)
            return rd_fail(r, p, "path attribute %u of %zu bytes runs past the end of its entry (%zu bytes left)", type,
                           len, end - v);
        switch (type) {
        case ATTR_ORIGIN:
            if (len != 1 || d[v] > ORIGIN_INCOMPLETE)
                return rd_fail(r, p, "ORIGIN must be one byte of 0, 1 or 2");
            *origin = d[v];
            break;
        case ATTR_MED:
            if (len != 4)
                return rd_fail(r, p, "MULTI_EXIT_DISC must be 4 bytes, not %zu", len);
            *med = be32(d + v);
            break;
        case ATTR_COMMUNITIES:
            if (len % 4)
                return rd_fail(r, p, "COMMUNITIES of %zu bytes is not a multiple of 4", len);
            for (size_t k = 0; k < len; k += 4) {
                uint32_t c = be32(d + v + k);
                g_array_append_val(r->comms, c);
            }
            break;
        case ATTR_AS_PATH:
            /* TABLE_DUMP_V2 stores every AS_PATH with 4-byte ASNs (RFC 6396 4.3.4). */
            for (size_t s = v; s < v + len;) {
                if (v + len - s < 2)
                    return rd_fail(r, s, "truncated AS_PATH segment header");
                uint8_t st = d[s], n = d[s + 1];
                if (st < SEG_SET || st > SEG_CONFED_SET)
                    return rd_fail(r, s, "AS_PATH segment type %u (expected 1 to 4)", st);
                if (v + len - s - 2 < (size_t)n * 4)
                    return rd_fail(r, s, "AS_PATH segment of %u ASNs needs %u bytes, %zu left in the attribute", n,
                                   n * 4u, v + len - s - 2);
                /* Sets are flattened into the path; confederation segments stay inside the
                 * confederation and are not part of the path seen outside (RFC 5065 5.3). */
                if (st <= SEG_SEQUENCE)
                    for (unsigned k = 0; k < n; k++) {
                        uint32_t asn = be32(d + s + 2 + 4 * k);
                        g_array_append_val(r->path, asn);
                    }
                s += 2 + (size_t)n * 4;
            }
            break;
        case ATTR_NEXT_HOP:
            if (len != 4)
                return rd_fail(r, p, "NEXT_HOP must be 4 bytes, not %zu", len);
            break;
        default:
            break; /* LOCAL_PREF, MP_REACH_NLRI, AGGREGATOR...: not kept */
        }
        p = v + len;
    }
    return TRUE;
}

/* True when entry peer index pi is the one chosen. */
static bool rd_wants(const Rd *r, uint16_t pi)
{
    if (r->sel->by_index)
        return pi == r->sel->index;
    if (r->sel->by_ip)
        return g_array_index(r->peer_ip, uint32_t, pi) == r->sel->ip;
    return true;
}

static gboolean read_rib_ipv4(Rd *r, const uint8_t *d, size_t at, size_t end, bool addpath)
{
    if (!r->have_index)
        return rd_fail(r, at, "no PEER_INDEX_TABLE before the first RIB record");
    size_t p = at;
    if (end - p < 5)
        return rd_fail(r, p, "truncated: sequence number and prefix length need 5 bytes, %zu left", end - p);
    uint8_t plen = d[p + 4];
    p += 5;
    if (plen > 32)
        return rd_fail(r, p - 1, "prefix length %u is over 32", plen);
    size_t pb = (plen + 7u) / 8u;
    if (end - p < pb + 2)
        return rd_fail(r, p, "truncated: a /%u prefix and the entry count need %zu bytes, %zu left", plen, pb + 2, end - p);
    uint32_t addr = 0;
    for (size_t k = 0; k < pb; k++)
        addr |= (uint32_t)d[p + k] << (24 - 8 * k);
    ArPrefix pfx = { addr & pfx_mask(plen), plen };
    p += pb;
    guint count = be16(d + p);
    p += 2;
    bool taken = false;
    size_t fixed = addpath ? 12 : 8; /* peer index, originated time, [path identifier,] attribute length */
    for (guint i = 0; i < count; i++) {
        if (end - p < fixed)
            return rd_fail(r, p, "truncated: RIB entry %u of %u needs %zu bytes, %zu left", i, count, fixed, end - p);
        uint16_t pi = be16(d + p);
        size_t alen = be16(d + p + fixed - 2);
        if (pi >= r->peer_ip->len)
            return rd_fail(r, p, "peer index %u, but the PEER_INDEX_TABLE lists %u peers", pi, r->peer_ip->len);
        size_t a = p + fixed;
        if (end - a < alen)
            return rd_fail(r, p, "RIB entry %u: %zu bytes of attributes, %zu left in the record", i, alen, end - a);
        p = a + alen;
        if (taken || !rd_wants(r, pi))
            continue;
        taken = true;
        uint32_t idx;
        if (r->last_raw && r->last_len == alen && memcmp(r->last_raw, d + a, alen) == 0) {
            idx = r->last_attrs; /* the same bytes as the previous route: the same set */
        } else {
            uint8_t origin;
            uint32_t med;
            if (!read_attrs(r, d, a, a + alen, &origin, &med))
                return FALSE;
            idx = rd_intern(r, origin, med);
            r->last_raw = d + a;
            r->last_len = alen;
            r->last_attrs = idx;
        }
        ArTableRoute rt = { pfx, idx };
        g_array_append_val(r->t->routes, rt);
    }
    if (p != end)
        return rd_fail(r, p, "%zu bytes left over after the last of %u RIB entries", end - p, count);
    return TRUE;
}

/* Stable order by prefix; then one route per prefix: the first (keep_last FALSE) or the last,
 * dropped when that is a withdrawal. O(n) when already ascending, else O(n log n). */
static int route_key_cmp(const void *a, const void *b)
{
    const ArTableRoute *x = a, *y = b;
    uint64_t kx = pfx_key(x->prefix), ky = pfx_key(y->prefix);
    return (kx > ky) - (kx < ky);
}

static void rd_finish(Rd *r, bool keep_last)
{
    GArray *rt = r->t->routes;
    bool sorted = true;
    for (guint i = 1; i < rt->len && sorted; i++)
        sorted = pfx_key(g_array_index(rt, ArTableRoute, i - 1).prefix) < pfx_key(g_array_index(rt, ArTableRoute, i).prefix);
    if (sorted && !keep_last)
        return;
    if (!sorted)
        g_array_sort(rt, route_key_cmp); /* GLib's sort is stable: equal prefixes keep file order */
    guint out = 0;
    for (guint i = 0; i < rt->len;) {
        guint j = i;
        while (j + 1 < rt->len && pfx_key(g_array_index(rt, ArTableRoute, j + 1).prefix) ==
                                      pfx_key(g_array_index(rt, ArTableRoute, i).prefix))
            j++;
        ArTableRoute pick = g_array_index(rt, ArTableRoute, keep_last ? j : i);
        if (pick.attrs != WITHDRAWN)
            g_array_index(rt, ArTableRoute, out++) = pick;
        i = j + 1;
    }
    g_array_set_size(rt, out);
}

gboolean mrt_parse(const uint8_t *data, size_t len, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error)
{
    Rd r;
    rd_init(&r, t, peer, error);
    gboolean ok = TRUE;
    size_t off = 0;
    while (ok && off < len) {
        r.rec_at = off;
        r.rec_name = "MRT";
        if (len - off < MRT_HEADER_LEN) {
            ok = rd_fail(&r, off, "truncated MRT header: %u bytes needed, %zu left", MRT_HEADER_LEN, len - off);
            break;
        }
        uint16_t type = be16(data + off + 4), sub = be16(data + off + 6);
        uint32_t rlen = be32(data + off + 8);
        r.rec_name = record_name(type, sub);
        size_t body = off + MRT_HEADER_LEN;
        if (rlen > len - body) {
            ok = rd_fail(&r, off + 8, "record length %u runs past the end of the file (%zu bytes left): truncated", rlen,
                         len - body);
            break;
        }
        size_t end = body + rlen;
        if (type == MRT_TABLE_DUMP_V2) {
            switch (sub) {
            case MRT_PEER_INDEX_TABLE: ok = read_peer_index(&r, data, body, end); break;
            case MRT_RIB_IPV4_UNICAST: ok = read_rib_ipv4(&r, data, body, end, false); break;
            case MRT_RIB_IPV4_UNICAST_ADDPATH: ok = read_rib_ipv4(&r, data, body, end, true); break;
            case MRT_RIB_IPV6_UNICAST:
            case MRT_RIB_IPV6_MULTICAST:
            case MRT_RIB_IPV6_UNICAST_ADDPATH:
            case MRT_RIB_IPV6_MULTICAST_ADDPATH: t->skipped_ipv6++; break;
            case MRT_RIB_GENERIC:
                /* sequence number (4), AFI (2): AFI 2 is IPv6 */
                if (rlen >= 6 && be16(data + body + 4) == 2)
                    t->skipped_ipv6++;
                else
                    t->skipped_other++;
                break;
            default: t->skipped_other++; break;
            }
        } else {
            t->skipped_other++;
        }
        off = end;
    }
    if (ok)
        rd_finish(&r, false);
    rd_clear(&r);
    return ok;
}

/* ---- bgpdump -m text ----------------------------------------------------------------------- */

/* Parses a decimal ASN ("65001") or asdot ("1.10") from s[0, n). */
static bool text_asn(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0, hi = 0;
    bool dot = false;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && !dot && digits) {
            dot = true;
            hi = v;
            v = 0;
            digits = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (!digits || (dot && (hi > 65535 || v > 65535)) || v > UINT32_MAX)
        return false;
    *out = (uint32_t)(dot ? hi << 16 | v : v);
    return true;
}

/* "65001 65002 {65003,65004}" into r->path: sets flattened, confederation segments "(...)" and
 * "[...]" dropped, as in the MRT reader. */
static gboolean text_path(Rd *r, const char *s, size_t n)
{
    g_array_set_size(r->path, 0);
    bool confed = false, set = false;
    for (size_t i = 0; i < n;) {
        char ch = s[i];
        if (ch == ' ' || ch == ',') {
            i++;
        } else if (ch == '{' && !set && !confed) {
            set = true;
            i++;
        } else if (ch == '}' && set) {
            set = false;
            i++;
        } else if ((ch == '(' || ch == '[') && !set && !confed) {
            confed = true;
            i++;
        } else if ((ch == ')' || ch == ']') && confed) {
            confed = false;
            i++;
        } else {
            size_t j = i;
            while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
                j++;
            uint32_t asn;
            if (j == i || !text_asn(s + i, j - i, &asn))
                return rd_fail_line(r, "AS path \"%.*s\": expected ASNs, {SET}s and (CONFED) segments", (int)MIN(n, 80), s);
            if (!confed)
                g_array_append_val(r->path, asn);
            i = j;
        }
    }
    if (set || confed)
        return rd_fail_line(r, "AS path \"%.*s\": unclosed segment", (int)MIN(n, 80), s);
    return TRUE;
}

/* "65001:100 no-export" into r->comms. */
static gboolean text_comms(Rd *r, const char *s, size_t n)
{
    static const struct { const char *name; uint32_t val; } wk[] = {
        { "no-export", COMM_NO_EXPORT }, { "no-advertise", COMM_NO_ADVERTISE },
        { "local-AS", 0xFFFFFF03u }, { "no-export-subconfed", 0xFFFFFF03u },
    };
    g_array_set_size(r->comms, 0);
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        const char *tok = s + i;
        size_t tl = j - i;
        const char *colon = memchr(tok, ':', tl);
        uint32_t hi, lo, c = 0;
        bool ok = false;
        for (size_t k = 0; k < G_N_ELEMENTS(wk) && !ok; k++)
            if (strlen(wk[k].name) == tl && memcmp(wk[k].name, tok, tl) == 0) {
                c = wk[k].val;
                ok = true;
            }
        if (!ok && colon && text_asn(tok, (size_t)(colon - tok), &hi) && text_asn(colon + 1, tl - (size_t)(colon - tok) - 1, &lo) &&
            hi <= 65535 && lo <= 65535 && !memchr(tok, '.', tl)) {
            c = hi << 16 | lo;
            ok = true;
        }
        if (!ok)
            return rd_fail_line(r, "community %.*s: expected A:B with A and B from 0 to 65535", (int)MIN(tl, 40), tok);
        g_array_append_val(r->comms, c);
        i = j;
    }
    return TRUE;
}

/* One line split at '|' (no copy): up to 16 fields. */
typedef struct Fields {
    const char *f[16];  /* field starts */
    size_t n[16];       /* field lengths */
    guint count;        /* fields found */
} Fields;

static bool field_is(const Fields *fs, guint i, const char *s)
{
    return i < fs->count && fs->n[i] == strlen(s) && memcmp(fs->f[i], s, fs->n[i]) == 0;
}

static gboolean text_line(Rd *r, const Fields *fs)
{
    if (fs->count < 3)
        return rd_fail_line(r, "expected a `bgpdump -m` line: TYPE|TIME|B, A or W|PEER|PEER_AS|PREFIX|...");
    bool announce = field_is(fs, 2, "B") || field_is(fs, 2, "A"), withdraw = field_is(fs, 2, "W");
    if (!announce && !withdraw) {
        r->t->skipped_other++; /* STATE lines and the like */
        return TRUE;
    }
    if (fs->count < (announce ? 12u : 6u))
        return rd_fail_line(r, "%s line with %u fields; expected %u or more", announce ? "an announcement" : "a withdrawal",
                            fs->count, announce ? 12u : 6u);
    g_autofree char *peer = g_strndup(fs->f[3], fs->n[3]);
    g_autofree char *pfx = g_strndup(fs->f[5], fs->n[5]);
    if (strchr(pfx, ':') || strchr(peer, ':')) {
        r->t->skipped_ipv6++;
        return TRUE;
    }
    uint32_t pip;
    if (!ip_parse(peer, &pip))
        return rd_fail_line(r, "peer address \"%.40s\" is not an IPv4 address", peer);
    ArPrefix p;
    if (pfx_parse(pfx, &p) == PFX_BAD_SYNTAX)
        return rd_fail_line(r, "prefix \"%.40s\" is not a.b.c.d/len", pfx);
    if (r->sel->by_ip && pip != r->sel->ip)
        return TRUE;
    ArTableRoute rt = { p, WITHDRAWN };
    if (announce) {
        uint8_t origin;
        if (field_is(fs, 7, "IGP"))
            origin = ORIGIN_IGP;
        else if (field_is(fs, 7, "EGP"))
            origin = ORIGIN_EGP;
        else if (field_is(fs, 7, "INCOMPLETE"))
            origin = ORIGIN_INCOMPLETE;
        else
            return rd_fail_line(r, "origin \"%.*s\": expected IGP, EGP or INCOMPLETE", (int)MIN(fs->n[7], 20), fs->f[7]);
        uint32_t med = 0;
        if (fs->n[10] && !text_asn(fs->f[10], fs->n[10], &med))
            return rd_fail_line(r, "MED \"%.*s\" is not a number from 0 to 4294967295", (int)MIN(fs->n[10], 20), fs->f[10]);
        if (!text_path(r, fs->f[6], fs->n[6]) || !text_comms(r, fs->f[11], fs->n[11]))
            return FALSE;
        rt.attrs = rd_intern(r, origin, med);
    }
    g_array_append_val(r->t->routes, rt);
    return TRUE;
}

gboolean mrt_parse_text(const char *text, size_t len, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error)
{
    Rd r;
    rd_init(&r, t, peer, error);
    gboolean ok = TRUE;
    if (r.sel->by_index)
        ok = rd_fail_line(&r, "a bgpdump text file names peers by address, not by index");
    for (size_t off = 0; ok && off < len;) {
        r.line++;
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t e = end;
        if (e > off && text[e - 1] == '\r')
            e--;
        if (e > off) {
            if (memchr(text + off, '\0', e - off)) {
                ok = rd_fail_line(&r, "NUL byte: this is not bgpdump text (an MRT file? use \"mrt\")");
                break;
            }
            Fields fs = { .count = 0 };
            for (size_t s = off; fs.count < G_N_ELEMENTS(fs.f);) {
                const char *bar = memchr(text + s, '|', e - s);
                size_t fe = bar ? (size_t)(bar - text) : e;
                fs.f[fs.count] = text + s;
                fs.n[fs.count++] = fe - s;
                if (!bar)
                    break;
                s = fe + 1;
            }
            ok = text_line(&r, &fs);
        }
        off = end + 1;
    }
    if (ok)
        rd_finish(&r, true);
    rd_clear(&r);
    return ok;
}

gboolean mrt_read_file(bool text, const ArMrtPeerSel *peer, ArRouteTable *t, GError **error)
{
    int fd = open(t->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot read: %s", t->file, g_strerror(errno));
        return FALSE;
    }
    /* Only regular files: a FIFO or a device could block or never end. */
    struct stat st;
    const char *why = fstat(fd, &st) != 0 ? g_strerror(errno)
                      : !S_ISREG(st.st_mode) ? "not a regular file"
                      : (guint64)st.st_size > MRT_MAX_FILE ? "larger than the limit of 4 GiB" : NULL;
    gboolean ok = why == NULL;
    if (why) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: %s", t->file, why);
    } else if (st.st_size > 0) { /* an empty file is an empty table */
        g_autoptr(GError) e = NULL;
        GMappedFile *m = g_mapped_file_new_from_fd(fd, FALSE, &e);
        if (!m) {
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot read: %s", t->file, e->message);
            ok = FALSE;
        } else {
            const char *data = g_mapped_file_get_contents(m);
            size_t len = g_mapped_file_get_length(m);
            ok = text ? mrt_parse_text(data, len, peer, t, error)
                      : mrt_parse((const uint8_t *)data, len, peer, t, error);
            g_mapped_file_unref(m);
        }
    }
    close(fd);
    return ok;
}
