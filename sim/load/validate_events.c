/* validate_events.c - the "events" section: timed events, checked against the nodes and built into the model. */
#include "validator.h"
#include <string.h>

/* ---- timed events ------------------------------------------------------------------------ */

/* Per ArScnEventKind (AR_SCN_EVENT_ACTIONS in arsim/scenario.h): its key in the format table, and
 * its timeline label's words after the node. */
#define ACTION_KEY(kind, key, type, verb) EV_##kind,
#define ACTION_VERB(kind, key, type, verb) verb,
static const int action_keys[] = { AR_SCN_EVENT_ACTIONS(ACTION_KEY, AR_SCN_EVENT_NO_OPTION) };
static const char *const action_verbs[] = { AR_SCN_EVENT_ACTIONS(ACTION_VERB, AR_SCN_EVENT_NO_OPTION) };

/* "set, fail, ... or maintenance": the action keys for messages. O(actions). */
static const char *action_list(Ctx *c)
{
    GString *l = g_string_new(NULL);
    for (size_t k = 0; k < G_N_ELEMENTS(action_keys); k++)
        g_string_append_printf(l, "%s%s", k == 0 ? "" : k + 1 < G_N_ELEMENTS(action_keys) ? ", " : " or ",
                               fmt_event_keys[action_keys[k]].key);
    return vd_keep(c, g_string_free(l, FALSE));
}

static const char *event_node(Ctx *c, GHashTable *names, const cJSON *v, const char *ptr)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected a node name, got %s", load_type_name(v));
        return NULL;
    }
    if (g_hash_table_contains(names, v->valuestring))
        return v->valuestring;
    ERR(c, v, ptr, "no node named %s; nodes are the scenario's Route Servers, gateways, NVAs and sites, "
                   "Route Server instances NAME/0 and NAME/1, ExpressRoute and active-active VPN gateway instances, circuits msee/SITE "
                   "and their links' edges msee/SITE/primary and msee/SITE/secondary",
        Q(c, v->valuestring));
    return NULL;
}


/* "set": routeServers.NAME.FIELD with a value of the field's type. */
static void event_set(Ctx *c, const Src *sr, const char *ptr, ArScnEvent *e)
{
    const cJSON *path = sr->f[EV_SET], *val = sr->f[EV_VALUE];
    const char *pp = PK(c, ptr, "set");
    /* routeServers.NAME.FIELD, where NAME may itself hold dots: the field is the last segment. */
    const char *ps = path->valuestring, *last = strrchr(ps, '.');
    g_autofree char *rs_name = NULL;
    int field = -1;
    if (g_str_has_prefix(ps, "routeServers.") && last && last > ps + strlen("routeServers.")) {
        rs_name = g_strndup(ps + strlen("routeServers."), (gsize)(last - ps - (long)strlen("routeServers.")));
        for (int i = 0; i < (int)G_N_ELEMENTS(fmt_rs_fields); i++)
            if (strcmp(last + 1, fmt_rs_fields[i]) == 0)
                field = i;
    }
    if (field < 0) {
        ERR(c, path, pp, "%s cannot change during a run; events can set routeServers.NAME.allowBranchToBranchTraffic, "
                         ".hubRoutingPreference, .nvaToNvaReflection or .routeLimitPerPeer (other changes: use "
                         "fail/restore, announce/withdraw, or compare two scenarios)", Q(c, path->valuestring));
        return;
    }
    int rs = scn_find(c->s->route_servers, rs_name);
    if (rs < 0) {
        ERR(c, path, pp, "no Route Server named %s; known: %s", Q(c, rs_name), vd_known(c, K_RS));
        return;
    }
    e->rs = rs;
    e->field = (ArRsField)field;
    const char *vp = PK(c, ptr, "value");
    if (!val) {
        ERR(c, sr->obj, ptr, "missing required key \"value\" (the new value of %s)", fmt_rs_fields[field]);
        return;
    }
    switch (e->field) {
    case RSF_BRANCH_TO_BRANCH:
    case RSF_REFLECT_NVA:
        if (!cJSON_IsBool(val))
            ERR(c, val, vp, "expected a boolean, got %s", load_type_name(val));
        e->value = cJSON_IsTrue(val);
        break;
    case RSF_HUB_PREF:
        if (!cJSON_IsString(val)) {
            ERR(c, val, vp, "expected a string, got %s", load_type_name(val));
            break;
        }
        e->value = (uint32_t)MAX(0, vd_get_word(c, val, vp, "hubRoutingPreference", &fmt_rs_keys[RS_HRP]));
        break;
    case RSF_ROUTE_LIMIT:
        if (!cJSON_IsNumber(val))
            ERR(c, val, vp, "expected an integer, got %s", load_type_name(val));
        else
            vd_get_key_uint(c, val, vp, &fmt_rs_keys[RS_LIMIT], &e->value);
        break;
    }
    g_autofree char *v = cJSON_PrintUnformatted(val);
    e->label = g_strdup_printf("set %s = %s", path->valuestring, v ? v : "?");
}

/* A two-element array of node names: a session's ends. */
static gboolean event_pair(Ctx *c, GHashTable *names, const cJSON *arr, const char *ptr, ArScnEvent *e)
{
    if (cJSON_GetArraySize(arr) != 2) {
        ERR(c, arr, ptr, "expected the session's two ends, e.g. [\"sdwan\", \"ars/0\"]");
        return FALSE;
    }
    const char *a = event_node(c, names, arr->child, PI(c, ptr, 0));
    const char *b = event_node(c, names, arr->child->next, PI(c, ptr, 1));
    if (!a || !b)
        return FALSE;
    e->node = g_strdup(a);
    e->peer = g_strdup(b);
    return TRUE;
}

/* {"site": NAME, "to": NVA-or-gateway}: one of the site's connections. */
static void event_connection(Ctx *c, const cJSON *o, const char *ptr, ArScnEvent *e)
{
    const cJSON *site = cJSON_GetObjectItemCaseSensitive(o, "site"), *to = cJSON_GetObjectItemCaseSensitive(o, "to");
    for (const cJSON *ch = o->child; ch; ch = ch->next)
        if (vd_spec_find(fmt_conn_ref_keys, CR_N, ch->string) < 0)
            vd_report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "unknown key \"%s\"; a connection is {\"site\": NAME, \"to\": NVA or gateway}", ch->string);
    if (!cJSON_IsString(site) || !cJSON_IsString(to)) {
        ERR(c, o, ptr, "expected {\"site\": NAME, \"to\": NVA or gateway} naming one of the site's connections");
        return;
    }
    int si = scn_find(c->s->sites, site->valuestring);
    if (si < 0) {
        ERR(c, site, PK(c, ptr, "site"), "no site named %s; known: %s", Q(c, site->valuestring), vd_known(c, K_SITE));
        return;
    }
    const ArSite *st = g_ptr_array_index(c->s->sites, si);
    for (guint k = 0; k < st->connections->len; k++) {
        const ArConnection *cn = &g_array_index(st->connections, ArConnection, k);
        if (cn->target < 0)
            continue;
        const char *tname = cn->kind == CONN_NVA ? ((ArNva *)g_ptr_array_index(c->s->nvas, cn->target))->name
                                                 : ((ArGateway *)g_ptr_array_index(c->s->gateways, cn->target))->name;
        if (strcmp(tname, to->valuestring) == 0) {
            e->node = g_strdup(st->name);
            e->peer = g_strdup(tname);
            const cJSON *link = cJSON_GetObjectItemCaseSensitive(o, "link");
            if (link && cn->kind != CONN_EXPRESSROUTE)
                ERR(c, link, PK(c, ptr, "link"), "\"link\" names one link of an ExpressRoute circuit; '%s' - '%s' is not one",
                    st->name, tname);
            else if (link && !cJSON_IsString(link))
                ERR(c, link, PK(c, ptr, "link"), "expected \"primary\" or \"secondary\", got %s", load_type_name(link));
            else if (link)
                e->link = vd_get_word(c, link, PK(c, ptr, "link"), "link", &fmt_conn_ref_keys[CR_LINK]);
            return;
        }
    }
    ERR(c, to, PK(c, ptr, "to"), "site '%s' has no connection to %s", st->name, Q(c, to->valuestring));
}

/* {"node": NAME, "prefixes": [...]}: what a site or NVA starts or stops originating. */
static void event_prefixes(Ctx *c, const cJSON *o, const char *ptr, ArScnEvent *e)
{
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(o, "node"), *pf = cJSON_GetObjectItemCaseSensitive(o, "prefixes");
    for (const cJSON *ch = o->child; ch; ch = ch->next)
        if (vd_spec_find(fmt_prefix_change_keys, PC_N, ch->string) < 0)
            vd_report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "unknown key \"%s\"; expected {\"node\": SITE or NVA, \"prefixes\": [...]}", ch->string);
    if (!cJSON_IsString(node) || !cJSON_IsArray(pf)) {
        ERR(c, o, ptr, "expected {\"node\": SITE or NVA, \"prefixes\": [\"10.9.0.0/16\", ...]}");
        return;
    }
    if (scn_find(c->s->sites, node->valuestring) < 0 && scn_find(c->s->nvas, node->valuestring) < 0) {
        ERR(c, node, PK(c, ptr, "node"), "no site or NVA named %s: only they originate prefixes", Q(c, node->valuestring));
        return;
    }
    e->node = g_strdup(node->valuestring);
    e->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    const char *base = PK(c, ptr, "prefixes");
    int i = 0;
    for (const cJSON *it = pf->child; it; it = it->next, i++) {
        ArPrefix p;
        if (vd_get_prefix(c, it, PI(c, base, i), &p))
            g_array_append_val(e->prefixes, p);
    }
}

static gint event_cmp(gconstpointer a, gconstpointer b)
{
    const ArScnEvent *x = a, *y = b;
    if (x->at != y->at)
        return (x->at > y->at) - (x->at < y->at);
    return (x->order > y->order) - (x->order < y->order);
}

void vd_events(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) names = vd_node_names(c);
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, "/events", i);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_event_keys, EV_N, &sr))
            continue;
        ArScnEvent e = { .rs = AR_NO_INDEX, .order = i, .link = -1 };
        int actions = 0, which = -1;
        for (size_t k = 0; k < G_N_ELEMENTS(action_keys); k++)
            if (sr.present & (1u << action_keys[k])) { /* present, even with a wrong type (reported) */
                actions++;
                which = (int)k;
            }
        if (actions != 1) {
            ERR(c, el, ptr, "an event has \"at\" and exactly one action: %s (found %d)", action_list(c), actions);
            continue;
        }
        if (sr.f[EV_AT])
            vd_get_time(c, sr.f[EV_AT], PK(c, ptr, "at"), &e.at);
        e.kind = (ArScnEventKind)which;
        const cJSON *v = sr.f[action_keys[which]];
        if (!v) { /* the action's value had the wrong type: already reported */
            g_free(e.label);
            continue;
        }
        const char *vp = PK(c, ptr, fmt_event_keys[action_keys[which]].key);
        if (sr.f[EV_MODE] && e.kind != SEV_FAIL && e.kind != SEV_FAIL_SESSION && e.kind != SEV_FAIL_CONNECTION)
            ERR(c, sr.f[EV_MODE], PK(c, ptr, "mode"), "\"mode\" goes with fail, failSession or failConnection");
        if (sr.f[EV_MODE]) {
            e.graceful = vd_get_word(c, sr.f[EV_MODE], PK(c, ptr, "mode"), "mode", &fmt_event_keys[EV_MODE]) == 1;
        } else {
            e.graceful = e.kind != SEV_FAIL; /* a failed node is silent unless told; a session reset is graceful */
        }
        if (sr.f[EV_VALUE] && e.kind != SEV_SET)
            ERR(c, sr.f[EV_VALUE], PK(c, ptr, "value"), "\"value\" goes with \"set\"");
        if (sr.f[EV_DURATION] && e.kind != SEV_MAINTENANCE)
            ERR(c, sr.f[EV_DURATION], PK(c, ptr, "duration"), "\"duration\" goes with \"maintenance\"");
        const char *n = NULL;
        switch (e.kind) {
        case SEV_SET:
            event_set(c, &sr, ptr, &e);
            break;
        case SEV_FAIL:
        case SEV_RESTORE:
            if ((n = event_node(c, names, v, vp)) != NULL)
                e.node = g_strdup(n);
            break;
        case SEV_FAIL_SESSION:
        case SEV_RESTORE_SESSION:
            event_pair(c, names, v, vp, &e);
            break;
        case SEV_FAIL_CONNECTION:
        case SEV_RESTORE_CONNECTION:
            event_connection(c, v, vp, &e);
            break;
        case SEV_ANNOUNCE:
        case SEV_WITHDRAW:
            event_prefixes(c, v, vp, &e);
            break;
        case SEV_CREATE_RS:
        case SEV_DELETE_RS:
            e.rs = scn_find(c->s->route_servers, v->valuestring);
            if (e.rs < 0)
                ERR(c, v, vp, "no Route Server named %s; known: %s", Q(c, v->valuestring), vd_known(c, K_RS));
            else
                e.node = g_strdup(v->valuestring);
            break;
        case SEV_MAINTENANCE: {
            size_t len = strlen(v->valuestring);
            gboolean inst = len > 2 && v->valuestring[len - 2] == '/' &&
                            (v->valuestring[len - 1] == '0' || v->valuestring[len - 1] == '1');
            g_autofree char *base = inst ? g_strndup(v->valuestring, len - 2) : NULL;
            /* Route Server instances (FAQ) and gateway instances: Azure reboots a gateway's instances
             * one at a time (expressroute-about-virtual-network-gateways.md); a VPN gateway has two
             * only when active-active. */
            int gw = inst ? scn_find(c->s->gateways, base) : AR_NO_INDEX;
            const ArGateway *g = gw >= 0 ? g_ptr_array_index(c->s->gateways, gw) : NULL;
            gboolean two = g && (g->type == GW_EXPRESSROUTE || g->active_active);
            if (!inst || (scn_find(c->s->route_servers, base) < 0 && !two))
                ERR(c, v, vp, "maintenance takes one Route Server or gateway instance, e.g. \"ars/0\" or \"ergw/1\"");
            else
                e.node = g_strdup(v->valuestring);
            e.duration = AR_US(AR_MAINTENANCE_S);
            if (sr.f[EV_DURATION])
                vd_get_time(c, sr.f[EV_DURATION], PK(c, ptr, "duration"), &e.duration);
            break;
        }
        }
        if (!e.label) {
            GString *l = g_string_new(NULL);
            if (e.node)
                g_string_append(l, e.node);
            if (e.peer)
                g_string_append_printf(l, " - %s", e.peer);
            if (e.link >= 0) /* one link of the circuit */
                g_string_append_printf(l, " %s link %s", scn_link_names[e.link],
                                       e.kind == SEV_FAIL_CONNECTION ? "fails" : "restored");
            else
                g_string_append_printf(l, " %s", action_verbs[e.kind]);
            if (e.kind == SEV_FAIL || e.kind == SEV_FAIL_SESSION || e.kind == SEV_FAIL_CONNECTION)
                g_string_append(l, e.graceful ? " (graceful)" : " (silent)");
            guint np = e.prefixes ? e.prefixes->len : 0;
            if (np > 4)
                g_string_append_printf(l, " %u prefixes:", np);
            for (guint k = 0; k < np && k < 4; k++) {
                char buf[PFX_STRLEN];
                g_string_append_printf(l, " %s", pfx_format(g_array_index(e.prefixes, ArPrefix, k), buf));
            }
            if (np > 4)
                g_string_append(l, " ...");
            if (e.kind == SEV_MAINTENANCE)
                g_string_append_printf(l, " for %.0f s", (double)e.duration / 1e6);
            e.label = g_string_free(l, FALSE);
        }
        if (sr.f[EV_NOTE]) {
            char *l = g_strdup_printf("%s: %s", sr.f[EV_NOTE]->valuestring, e.label);
            g_free(e.label);
            e.label = l;
        }
        g_array_append_val(c->s->events, e);
    }
    g_array_sort(c->s->events, event_cmp); /* by time, then file order */
}
