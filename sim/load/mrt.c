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
enum { ATTR_ORIGIN = 1, ATTR_AS_PATH = 2, ATTR_NEXT_HOP = 3, ATTR_MED = 4, ATTR_COMMUNITIES = 8, ATTR_AS4_PATH = 17 };
/* AS_PATH segment types (RFC 4271 4.3, RFC 5065). */
enum { SEG_SET = 1, SEG_SEQUENCE = 2, SEG_CONFED_SEQUENCE = 3, SEG_CONFED_SET = 4 };

/* State of one parse. */
typedef struct Rd {
    ArRouteTable *t;           /* the table filled */
    const ArMrtPeerSel *sel;   /* which entries to take */
    GError **error;            /* where the first error goes */
    GHashTable *sets;          /* GBytes (canonical attribute set) -> index + 1 in t->attrs */
    GArray *path;              /* scratch: the AS path being decoded */
    GArray *path4;             /* scratch: its AS4_PATH (BGP4MP_MESSAGE with 2-byte ASNs) */
    GArray *comms;             /* scratch: the communities being decoded */
    GArray *peer_ip;           /* uint32_t per PEER_INDEX_TABLE entry (0 for an IPv6 peer) */
    GArray *peer_as;           /* uint32_t per PEER_INDEX_TABLE entry */
    bool have_index;           /* a PEER_INDEX_TABLE was read */
    const uint8_t *last_raw;   /* raw attributes of the last route taken, to skip decoding repeats */
    size_t last_len;           /* their length */
    unsigned last_width;       /* their ASN width (2 or 4) */
    bool updates;              /* BGP4MP UPDATEs were applied: the last route of a prefix wins */
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
    r->path4 = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->comms = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->peer_ip = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->peer_as = g_array_new(FALSE, FALSE, sizeof(uint32_t));
}

static void rd_clear(Rd *r)
{
    g_hash_table_destroy(r->sets);
    g_array_free(r->path, TRUE);
    g_array_free(r->path4, TRUE);
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

/* Appends the ASNs of the AS_PATH (or AS4_PATH) value d[v, end), ASNs width bytes wide, to out.
 * Sets are flattened into the path; confederation segments stay inside the confederation and are
 * not part of the path seen outside (RFC 5065 5.3). */
static gboolean read_path(Rd *r, const uint8_t *d, size_t v, size_t end, unsigned width, const char *what, GArray *out)
{
    for (size_t s = v; s < end;) {
        if (end - s < 2)
            return rd_fail(r, s, "truncated %s segment header", what);
        uint8_t st = d[s], n = d[s + 1];
        if (st < SEG_SET || st > SEG_CONFED_SET)
            return rd_fail(r, s, "%s segment type %u (expected 1 to 4)", what, st);
        if (end - s - 2 < (size_t)n * width)
            return rd_fail(r, s, "%s segment of %u ASNs needs %zu bytes, %zu left in the attribute", what, n,
                           (size_t)n * width, end - s - 2);
        if (st <= SEG_SEQUENCE)
            for (unsigned k = 0; k < n; k++) {
                uint32_t asn = width == 4 ? be32(d + s + 2 + 4 * k) : be16(d + s + 2 + 2 * k);
                g_array_append_val(out, asn);
            }
        s += 2 + (size_t)n * width;
    }
    return TRUE;
}

/* Decodes the path attributes in d[at, end) into r->path, r->comms, *origin, *med. AS_PATH ASNs
 * are width bytes wide: 4 in TABLE_DUMP_V2 (RFC 6396 4.3.4) and BGP4MP_MESSAGE_AS4, 2 in
 * BGP4MP_MESSAGE, where an AS4_PATH then gives the 4-byte ASNs (RFC 6793 4.2.3). */
static gboolean read_attrs(Rd *r, const uint8_t *d, size_t at, size_t end, unsigned width, uint8_t *origin,
                           uint32_t *med)
{
    bool have4 = false;
    g_array_set_size(r->path4, 0);
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
            if (!read_path(r, d, v, v + len, width, "AS_PATH", r->path))
                return FALSE;
            break;
        case ATTR_AS4_PATH:
            /* Only meaningful beside a 2-byte AS_PATH (RFC 6793 4.2.3); TABLE_DUMP_V2 never needs it. */
            if (width == 2) {
                if (!read_path(r, d, v, v + len, 4, "AS4_PATH", r->path4))
                    return FALSE;
                have4 = true;
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
    if (have4 && r->path4->len <= r->path->len) {
        /* The leading ASNs of AS_PATH that AS4_PATH does not cover, then AS4_PATH. */
        g_array_set_size(r->path, r->path->len - r->path4->len);
        g_array_append_vals(r->path, r->path4->data, r->path4->len);
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

/* The attribute set of d[a, end) as an index in t->attrs: decoded and interned, unless the bytes
 * are those of the previous route (then its set). */
static gboolean rd_attrs(Rd *r, const uint8_t *d, size_t a, size_t end, unsigned width, uint32_t *idx)
{
    size_t alen = end - a;
    if (r->last_raw && r->last_len == alen && r->last_width == width && memcmp(r->last_raw, d + a, alen) == 0) {
        *idx = r->last_attrs;
        return TRUE;
    }
    uint8_t origin;
    uint32_t med;
    if (!read_attrs(r, d, a, end, width, &origin, &med))
        return FALSE;
    *idx = rd_intern(r, origin, med);
    r->last_raw = d + a;
    r->last_len = alen;
    r->last_width = width;
    r->last_attrs = *idx;
    return TRUE;
}

/* The prefix of length plen (at most 32) whose (plen + 7) / 8 significant bytes start at b; bits
 * past the length are ignored (RFC 4271 4.3: trailing bits are irrelevant). */
static ArPrefix prefix_at(const uint8_t *b, uint8_t plen)
{
    uint32_t addr = 0;
    for (unsigned k = 0; k < (plen + 7u) / 8u; k++)
        addr |= (uint32_t)b[k] << (24 - 8 * k);
    return (ArPrefix){ addr & pfx_mask(plen), plen };
}

/* IPv4 NLRI (RFC 4271 4.3) in d[p, end): each prefix appended to the table with attrs. */
static gboolean read_nlri(Rd *r, const uint8_t *d, size_t p, size_t end, uint32_t attrs)
{
    while (p < end) {
        uint8_t plen = d[p];
        if (plen > 32)
            return rd_fail(r, p, "prefix length %u is over 32", plen);
        size_t pb = (plen + 7u) / 8u;
        if (end - p - 1 < pb)
            return rd_fail(r, p, "a /%u prefix needs %zu bytes, %zu left", plen, pb, end - p - 1);
        ArTableRoute rt = { prefix_at(d + p + 1, plen), attrs };
        g_array_append_val(r->t->routes, rt);
        p += 1 + pb;
    }
    return TRUE;
}

/* BGP4MP_MESSAGE (as4 false) or BGP4MP_MESSAGE_AS4: an UPDATE from the chosen peer applied in
 * order, its withdrawals and its IPv4 announcements (RFC 6396 4.4.2, RFC 4271 4.3). */
static gboolean read_bgp4mp(Rd *r, const uint8_t *d, size_t at, size_t end, bool as4)
{
    size_t asz = as4 ? 4 : 2, p = at;
    if (end - p < 2 * asz + 4)
        return rd_fail(r, p, "truncated: peer and local AS, interface and AFI need %zu bytes, %zu left", 2 * asz + 4,
                       end - p);
    uint16_t afi = be16(d + p + 2 * asz + 2);
    p += 2 * asz + 4;
    if (afi != 1) {
        if (afi != 2)
            return rd_fail(r, p - 2, "AFI %u (expected 1 for IPv4 or 2 for IPv6)", afi);
        r->t->skipped_ipv6++;
        return TRUE;
    }
    if (end - p < 8 + 19)
        return rd_fail(r, p, "truncated: addresses and a BGP header need 27 bytes, %zu left", end - p);
    uint32_t peer_ip = be32(d + p);
    p += 8;
    size_t mlen = be16(d + p + 16);
    if (mlen < 19 || mlen > end - p)
        return rd_fail(r, p + 16, "BGP message length %zu (19 to the %zu bytes left)", mlen, end - p);
    uint8_t type = d[p + 18];
    if (type != 2 || (r->sel->by_ip && peer_ip != r->sel->ip)) {
        r->t->skipped_other += type != 2; /* OPEN, KEEPALIVE, NOTIFICATION */
        return TRUE;
    }
    if (r->sel->by_index)
        return rd_fail(r, at, "a peer index names a PEER_INDEX_TABLE entry; UPDATE messages name peers by address");
    size_t u = p + 19, uend = p + mlen;
    if (uend - u < 2 || uend - u - 2 < be16(d + u))
        return rd_fail(r, u, "withdrawn routes run past the end of the UPDATE");
    size_t wend = u + 2 + be16(d + u);
    if (uend - wend < 2 || uend - wend - 2 < be16(d + wend))
        return rd_fail(r, wend, "path attributes run past the end of the UPDATE");
    size_t aend = wend + 2 + be16(d + wend);
    r->updates = true;
    if (!read_nlri(r, d, u + 2, wend, WITHDRAWN))
        return FALSE;
    if (aend == uend)
        return TRUE; /* nothing announced (or only IPv6, in MP_REACH_NLRI) */
    uint32_t idx;
    return rd_attrs(r, d, wend + 2, aend, as4 ? 4 : 2, &idx) && read_nlri(r, d, aend, uend, idx);
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
    ArPrefix pfx = prefix_at(d + p, plen);
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
        if (!rd_attrs(r, d, a, a + alen, 4, &idx))
            return FALSE;
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
        } else if (type == MRT_BGP4MP || type == MRT_BGP4MP_ET) {
            size_t b = body + (type == MRT_BGP4MP_ET ? 4 : 0); /* ET: microseconds first */
            if (b > end)
                ok = rd_fail(&r, body, "truncated: the microsecond timestamp needs 4 bytes, %u left", rlen);
            else if (sub == MRT_BGP4MP_MESSAGE || sub == MRT_BGP4MP_MESSAGE_AS4)
                ok = read_bgp4mp(&r, data, b, end, sub == MRT_BGP4MP_MESSAGE_AS4);
            else
                t->skipped_other++; /* state changes, local and ADDPATH messages */
        } else {
            t->skipped_other++;
        }
        off = end;
    }
    if (ok)
        rd_finish(&r, r.updates);
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
