/* json.c - run results as JSON documents (cJSON), in a fixed, deterministic order. */
#include "arsim/output.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static cJSON *ip_json(uint32_t ip)
{
    char buf[IP_STRLEN];
    return cJSON_CreateString(ip_format(ip, buf));
}

static cJSON *path_json(const ArAsPath *p)
{
    g_autofree char *s = attr_path_to_string(p);
    return cJSON_CreateString(s);
}

/* Azure's "origin" column: how the route entered this speaker (section 8), not the BGP ORIGIN. */
static const char *route_origin(const ArSpeaker *sp, const ArRoute *r)
{
    if (r->peer == PEER_LOCAL)
        return "Igp";
    return bgp_peer(sp, r->peer)->session->ibgp ? "IBgp" : "EBgp";
}

cJSON *out_route_json(const ArSpeaker *sp, uint64_t key, const ArRoute *r)
{
    char buf[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "prefix", pfx_format(pfx_from_key(key), buf));
    cJSON_AddItemToObject(o, "asPath", path_json(r->attrs->path));
    cJSON_AddItemToObject(o, "nextHop", ip_json(r->attrs->next_hop));
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (src)
        cJSON_AddStringToObject(o, "from", src->name);
    else
        cJSON_AddNullToObject(o, "from");
    cJSON_AddStringToObject(o, "origin", route_origin(sp, r));
    cJSON_AddBoolToObject(o, "best", r == rib_find(&sp->rib, key)->best);
    cJSON_AddNumberToObject(o, "weight", r->attrs->weight);
    cJSON_AddNumberToObject(o, "localPref", r->attrs->local_pref);
    cJSON *comms = cJSON_AddArrayToObject(o, "communities");
    for (uint32_t i = 0; i < r->attrs->comms->len; i++) {
        g_autofree char *c = attr_comm_to_string(r->attrs->comms->vals[i]);
        cJSON_AddItemToArray(comms, cJSON_CreateString(c));
    }
    return o;
}

static cJSON *sessions_json(const ArSpeaker *sp)
{
    cJSON *arr = cJSON_CreateArray();
    for (guint i = 0; i < sp->peers->len; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "peer", p->remote->name);
        cJSON_AddStringToObject(o, "type", p->session->ibgp ? "iBGP" : "eBGP");
        cJSON_AddStringToObject(o, "state", p->session->state == SESS_ESTABLISHED ? "Established" : "Idle");
        cJSON_AddNumberToObject(o, "received", p->routes_in);
        cJSON_AddNumberToObject(o, "advertised", bgp_out_size(p));
        if (p->session->down_reason)
            cJSON_AddStringToObject(o, "reason", p->session->down_reason);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *node_json(const ArSpeaker *sp)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", bgp_kind_name(sp->kind));
    cJSON_AddNumberToObject(o, "asn", sp->asn);
    cJSON_AddItemToObject(o, "ip", ip_json(sp->ip));
    cJSON_AddItemToObject(o, "sessions", sessions_json(sp));
    cJSON *routes = cJSON_AddArrayToObject(o, "routes");
    g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
    for (guint i = 0; i < keys->len; i++) {
        uint64_t key = g_array_index(keys, uint64_t, i);
        for (const ArRoute *r = rib_find(&sp->rib, key)->routes; r; r = r->next)
            cJSON_AddItemToArray(routes, out_route_json(sp, key, r));
    }
    return o;
}

static cJSON *eff_json(const ArEffTable *t)
{
    cJSON *arr = cJSON_CreateArray();
    char buf[PFX_STRLEN];
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "prefix", pfx_format(r->prefix, buf));
        cJSON_AddStringToObject(o, "source", eff_source_name(r));
        cJSON_AddStringToObject(o, "nextHopType", eff_nh_type_name(r->type));
        cJSON *ips = cJSON_AddArrayToObject(o, "nextHopIps");
        for (guint k = 0; k < r->next_hops->len; k++)
            cJSON_AddItemToArray(ips, ip_json(g_array_index(r->next_hops, uint32_t, k)));
        cJSON *via = cJSON_AddArrayToObject(o, "nextHop");
        for (guint k = 0; k < r->via->len; k++)
            cJSON_AddItemToArray(via, cJSON_CreateString(((const ArSpeaker *)g_ptr_array_index(r->via, k))->name));
        if (r->path)
            cJSON_AddItemToObject(o, "asPath", path_json(r->path));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

cJSON *out_run_json(const ArRun *run, const char *node_filter)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    cJSON *doc = cJSON_CreateObject();
    if (scn->name)
        cJSON_AddStringToObject(doc, "scenario", scn->name);
    cJSON_AddBoolToObject(doc, "converged", run->end == RUN_CONVERGED);
    cJSON_AddNumberToObject(doc, "time", (double)sim->stats.last_change / (double)AR_SEC);
    cJSON_AddNumberToObject(doc, "messages", (double)sim->stats.updates);
    cJSON_AddNumberToObject(doc, "events", (double)sim->stats.events);
    cJSON *nodes = cJSON_AddObjectToObject(doc, "nodes");
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (!node_filter || strcmp(node_filter, sp->name) == 0)
            cJSON_AddItemToObject(nodes, sp->name, node_json(sp));
    }
    cJSON *eff = cJSON_AddObjectToObject(doc, "effectiveRoutes");
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        g_autofree char *name = eff_table_name(scn, t);
        const ArVnet *vn = g_ptr_array_index(scn->vnets, t->vnet);
        if (!node_filter || strcmp(node_filter, name) == 0 || strcmp(node_filter, vn->name) == 0)
            cJSON_AddItemToObject(eff, name, eff_json(t));
    }
    return doc;
}

/* One entry as `az network routeserver peering list-*-routes` prints it (section 8). */
static cJSON *az_route_json(const ArSpeaker *ars, const ArPeer *peer, uint64_t key, const ArAttrs *a,
                            bool advertised)
{
    char buf[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "localAddress", ip_json(ars->ip));
    cJSON_AddStringToObject(o, "network", pfx_format(pfx_from_key(key), buf));
    cJSON_AddItemToObject(o, "nextHop", ip_json(a->next_hop));
    cJSON_AddItemToObject(o, "sourcePeer", ip_json(advertised ? ars->ip : peer->remote->ip));
    cJSON_AddStringToObject(o, "origin", advertised ? "Igp" : "EBgp");
    cJSON_AddItemToObject(o, "asPath", path_json(a->path));
    cJSON_AddNumberToObject(o, "weight", advertised ? 0 : a->weight);
    return o;
}

gboolean out_peering_check(const ArRun *run, const char *nva, GError **error)
{
    const ArSpeaker *nsp = bgp_speaker_find(run->net->sim, nva);
    if (!nsp || nsp->kind != NODE_NVA) {
        /* Route Server peers are NVAs (and bgpPeers): what Azure's peering commands list. */
        if (nsp)
            g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "%s is a %s, not an NVA: Route Server peerings are NVAs "
                        "(use --node %s for its routes)", nva, bgp_kind_name(nsp->kind), nva);
        else
            g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "no NVA named \"%s\" in the scenario", nva);
        return FALSE;
    }
    return TRUE;
}

cJSON *out_peering_routes_json(const ArRun *run, const char *nva, gboolean advertised, GError **error)
{
    if (!out_peering_check(run, nva, error))
        return NULL;
    const ArSpeaker *nsp = bgp_speaker_find(run->net->sim, nva);
    cJSON *doc = cJSON_CreateObject();
    int found = 0;
    for (guint i = 0; i < nsp->peers->len; i++) {
        const ArPeer *np = bgp_peer(nsp, (uint16_t)i);
        const ArSpeaker *ars = np->remote;
        if (ars->kind != NODE_ROUTE_SERVER)
            continue;
        const ArPeer *peer = bgp_peer(ars, np->remote_index);
        g_autofree char *role = g_strdup_printf("RouteServiceRole_IN_%d", ars->instance);
        cJSON *arr = cJSON_AddArrayToObject(doc, role);
        g_autoptr(GArray) keys = rib_sorted_keys(&ars->rib);
        for (guint k = 0; k < keys->len; k++) {
            uint64_t key = g_array_index(keys, uint64_t, k);
            const ArAttrs *a;
            if (advertised) {
                a = bgp_out_lookup(ars, peer, key);
            } else {
                const ArRoute *r = rib_route_from(rib_find(&ars->rib, key), peer->index);
                a = r ? r->attrs : NULL;
            }
            if (a)
                cJSON_AddItemToArray(arr, az_route_json(ars, peer, key, a, advertised));
        }
        found++;
    }
    if (!found) {
        cJSON_Delete(doc);
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "NVA \"%s\" does not peer with a Route Server", nva);
        return NULL;
    }
    return doc;
}

char *out_json_print(const cJSON *doc)
{
    char *s = cJSON_Print(doc);
    char *r = g_strconcat(s ? s : "null", "\n", NULL);
    cJSON_free(s);
    return r;
}

gboolean out_same_file(const char *x, const char *y)
{
    GStatBuf a, b;
    return g_stat(x, &a) == 0 && g_stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

char *out_target(const char *path, gboolean *special)
{
    char *target = NULL;
    GStatBuf st;
    if (g_lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        target = realpath(path, NULL);
    if (!target)
        target = g_strdup(path);
    *special = g_stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    return target;
}

gboolean out_write_file(const char *path, const char *data, gsize len, const char *protect, GError **error)
{
    if (!*path) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "the output file name is empty");
        return FALSE;
    }
    if (protect && out_same_file(path, protect)) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "%s: refusing to write over the input scenario", path);
        return FALSE;
    }
    /* -o /dev/stdout or a FIFO is written into, never replaced; a link's target is replaced. */
    gboolean special;
    g_autofree char *target = out_target(path, &special);
    path = target;
    if (special) {
        FILE *f = fopen(path, "wb");
        bool ok = f && fwrite(data, 1, len, f) == len;
        int err = errno;
        if (f && fclose(f) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (!ok)
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, g_strerror(err));
        return ok;
    }
    /* GLib writes a temporary file beside the target and renames it over the target. */
    g_autoptr(GError) e = NULL;
    if (g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &e))
        return TRUE;
    /* GLib's message names its temporary file; say what the user can fix about the file they named. */
    g_autofree char *dir = g_path_get_dirname(path);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: folder %s does not exist", path, dir);
    else if (e->domain == G_FILE_ERROR && (e->code == G_FILE_ERROR_ACCES || e->code == G_FILE_ERROR_PERM))
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: permission denied in folder %s", path, dir);
    else if (e->domain == G_FILE_ERROR && e->code == G_FILE_ERROR_ISDIR)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: it is a folder", path);
    else if (e->domain == G_FILE_ERROR && e->code == G_FILE_ERROR_NOSPC)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: no space left on the device", path);
    else
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, e->message);
    return FALSE;
}
