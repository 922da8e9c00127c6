/* validate_routes_from.c - routesFrom of an NVA or site: the MRT or bgpdump file read into a route table. */
#include "validator.h"
#include "arsim/mrt.h"

#include <string.h>

/* routesFrom of an NVA or site: its file (relative to the scenario's folder) read now, by the MRT
 * reader (include/arsim/mrt.h). NULL when absent or bad (reported). O(file size). */
ArRouteTable *vd_routes_from(Ctx *c, const cJSON *obj, const char *ptr)
{
    Src sr;
    if (!vd_check_object(c, obj, ptr, fmt_routes_from_keys, RF_N, &sr))
        return NULL;
    bool text = sr.f[RF_BGPDUMP] != NULL;
    const cJSON *fnode = text ? sr.f[RF_BGPDUMP] : sr.f[RF_MRT];
    if ((sr.f[RF_MRT] != NULL) == text) {
        if (!(sr.present & 3u)) /* a key of the wrong type was reported already */
            ERR(c, obj, ptr, "routesFrom needs one of \"mrt\" (an MRT TABLE_DUMP_V2 file) or \"bgpdump\" (bgpdump -m text)");
        else if (text)
            ERR(c, obj, ptr, "\"mrt\" and \"bgpdump\" exclude each other: one file per routesFrom");
        return NULL;
    }
    ArMrtPeerSel sel = { 0 };
    const cJSON *pn = sr.f[RF_PEER];
    const char *pptr = PK(c, ptr, "peer");
    if (cJSON_IsString(pn)) {
        if (!vd_get_ip(c, pn, pptr, &sel.ip))
            return NULL;
        sel.by_ip = true;
    } else if (cJSON_IsNumber(pn) && !text) {
        uint32_t v;
        if (!vd_get_key_uint(c, pn, pptr, &fmt_routes_from_keys[RF_PEER], &v))
            return NULL;
        sel.by_index = true;
        sel.index = (uint16_t)v;
    } else if (pn) {
        ERR(c, pn, pptr, "expected the peer's address such as \"192.0.2.1\"%s, got %s",
            text ? " (bgpdump text names peers by address)" : " or its index in the PEER_INDEX_TABLE", load_type_name(pn));
        return NULL;
    }
    const char *fptr = PK(c, ptr, text ? "bgpdump" : "mrt");
    if (!*fnode->valuestring) {
        ERR(c, fnode, fptr, "expected a file name, got an empty string");
        return NULL;
    }
    g_autofree char *dir = g_path_get_dirname(c->file);
    g_autofree char *path = g_path_is_absolute(fnode->valuestring) || strcmp(dir, ".") == 0
                                ? g_strdup(fnode->valuestring)
                                : g_build_filename(dir, fnode->valuestring, NULL);
    ArRouteTable *t = scn_route_table_new(path);
    g_autoptr(GError) e = NULL;
    if (!mrt_read_file(text, &sel, t, &e)) {
        ERR(c, fnode, fptr, "%s", e->message);
        scn_route_table_free(t);
        return NULL;
    }
    if (t->skipped_ipv6)
        WARN(c, fnode, fptr, "%s: %" G_GUINT64_FORMAT " IPv6 %s skipped (arsim models IPv4 only)", path,
             t->skipped_ipv6, text ? "lines" : "records");
    if (!t->routes->len)
        WARN(c, fnode, fptr, "%s: no IPv4 route%s", path, pn ? " from the chosen peer" : "");
    return t;
}
