/* decision.c - the BGP decision process as a table of rules, one criterion each (RFC 4271 9.1). */
#include "arsim/decision.h"

/* Each rule compares two paths to the same prefix and returns > 0 when a is better, < 0 when b is
 * better, 0 to defer to the next rule. The order follows what Azure's routers document: weight
 * first (LAB: the ExpressRoute gateway's MSEE path has weight 32769), the policy's own preference
 * before AS-path length (ArPolicy.rank: the Route Server's hub routing preference, HRP), then
 * RFC 4271 9.1.2.2. Nothing here knows a node kind: what differs per kind is in its policy.
 *
 * dp_best applies the table as RFC 4271 9.1.2.2 describes: a set elimination. Each rule removes
 * from the candidates every path that loses to another remaining one, then the next rule looks at
 * what is left. A rule with a group function (MED: the neighbouring AS) compares only paths of the
 * same group. Folding a pairwise comparison over the list would not do: MED makes that comparison
 * non-transitive (A, B from one AS with B's MED lower, C from another AS: A < B, B < C by router
 * ID, C < A by router ID), so the result would depend on arrival order (BIRD notes the same trap
 * in bgp_rte_better). */

#define PREFER_HIGHER(x, y) ((x) > (y) ? 1 : (x) < (y) ? -1 : 0)
#define PREFER_LOWER(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/* A VNet's own address space, originated here (a system route, RT_VNET), over any learned copy of
 * the same prefix: Azure's gateways always advertise the VNet's space to on-premises
 * (advertised-gateway-prefixes-overview), so an on-premises announcement of it (weight 32769 on the
 * ExpressRoute gateway) never displaces it. */
static int dp_vnet_space(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(a->peer == PEER_LOCAL && (a->flags & RT_VNET), b->peer == PEER_LOCAL && (b->flags & RT_VNET));
}

/* Azure / Cisco weight: higher wins. Local to the speaker, set by import. */
static int dp_weight(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(rt_attrs(a)->weight, rt_attrs(b)->weight);
}

/* RFC 4271 9.1.1: degree of preference = LOCAL_PREF, higher wins. */
static int dp_local_pref(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(rt_attrs(a)->local_pref, rt_attrs(b)->local_pref);
}

/* Locally originated over learned (Cisco step 3; RFC 4271 leaves it to local policy). */
static int dp_local(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(a->peer == PEER_LOCAL, b->peer == PEER_LOCAL);
}

/* The speaker's policy's own preference (ArPolicy.rank: Azure's hubRoutingPreference at a Route
 * Server), lower rank wins; no hook, no preference. */
static int dp_policy_rank(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    if (!sp->policy || !sp->policy->rank)
        return 0;
    return PREFER_LOWER(sp->policy->rank(sp, a), sp->policy->rank(sp, b));
}

/* RFC 4271 9.1.2.2 (a): shorter AS_PATH wins. */
static int dp_as_path(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(rt_attrs(a)->path->len, rt_attrs(b)->path->len);
}

/* RFC 4271 9.1.2.2 (b): lower ORIGIN wins (IGP < EGP < INCOMPLETE). */
static int dp_origin(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(rt_attrs(a)->origin, rt_attrs(b)->origin);
}

/* The neighbouring AS a path was received from (its first ASN; ours for a local path): the group
 * within which MEDs are compared. */
static uint32_t dp_neighbour_as(const ArSpeaker *sp, const ArRoute *r)
{
    const ArAsPath *p = rt_attrs(r)->path;
    return p->len ? p->asns[0] : sp->asn;
}

/* RFC 4271 9.1.2.2 (c): lower MULTI_EXIT_DISC wins, only between paths from the same neighbour AS
 * (the rule's group, dp_neighbour_as). */
static int dp_med(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    if (dp_neighbour_as(sp, a) != dp_neighbour_as(sp, b))
        return 0;
    return PREFER_LOWER(rt_attrs(a)->med, rt_attrs(b)->med);
}

/* RFC 4271 9.1.2.2 (d): a path learned over eBGP wins over one learned over iBGP. (Clause (e),
 * interior cost to the next hop, is not modelled: every next hop is one hop away.) */
static int dp_ebgp(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(bgp_route_ibgp(sp, a), bgp_route_ibgp(sp, b));
}

/* RFC 4271 9.1.2.2 (f): lower BGP Identifier of the advertising speaker wins. */
static int dp_router_id(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    const ArSpeaker *sa = bgp_route_source(sp, a), *sb = bgp_route_source(sp, b);
    return PREFER_LOWER(sa ? sa->ip : sp->ip, sb ? sb->ip : sp->ip);
}

/* RFC 4271 9.1.2.2 (g): lower peer address wins; then lower peer index, so that one path is left. */
static int dp_peer_addr(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    uint32_t ia = a->peer == PEER_LOCAL ? 0 : bgp_peer(sp, a->peer)->remote->ip;
    uint32_t ib = b->peer == PEER_LOCAL ? 0 : bgp_peer(sp, b->peer)->remote->ip;
    int c = PREFER_LOWER(ia, ib);
    return c ? c : PREFER_LOWER(a->peer, b->peer);
}

const ArDpRule dp_rules[] = {
    { "VNet address space", dp_vnet_space, NULL },
    { "weight", dp_weight, NULL },
    { "local preference", dp_local_pref, NULL },
    { "locally originated", dp_local, NULL },
    { "policy preference", dp_policy_rank, NULL },
    { "AS path length", dp_as_path, NULL },
    { "origin", dp_origin, NULL },
    { "MED", dp_med, dp_neighbour_as },
    { "eBGP over iBGP", dp_ebgp, NULL },
    { "router ID", dp_router_id, NULL },
    { "peer address", dp_peer_addr, NULL },
};
const size_t dp_rule_count = G_N_ELEMENTS(dp_rules);

int dp_compare(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b, size_t *rule)
{
    for (size_t i = 0; i < dp_rule_count; i++) {
        int c = dp_rules[i].cmp(sp, a, b);
        if (c) {
            if (rule)
                *rule = i;
            return c;
        }
    }
    if (rule)
        *rule = dp_rule_count;
    return 0;
}

/* Orders candidates by their group under one rule (g_qsort_with_data). */
typedef struct DpGroupCtx {
    const ArSpeaker *sp;   /* the deciding speaker */
    ArDpGroupFn group;     /* the rule's group function */
} DpGroupCtx;

static gint dp_group_order(gconstpointer a, gconstpointer b, gpointer user)
{
    const DpGroupCtx *g = user;
    uint32_t x = g->group(g->sp, *(ArRoute *const *)a), y = g->group(g->sp, *(ArRoute *const *)b);
    return (x > y) - (x < y);
}

/* Keeps, in c[0 .. n), the paths of c[from .. to) that tie with the best of them under rule; the
 * others are eliminated. The rule orders these paths totally, so that is one pass to find the best
 * and one to keep its equals. Returns the new n. O(to - from). */
static size_t dp_keep_best(const ArSpeaker *sp, const ArDpRule *rule, ArRoute **c, size_t n, size_t from, size_t to)
{
    ArRoute *top = c[from];
    for (size_t i = from + 1; i < to; i++)
        if (rule->cmp(sp, c[i], top) > 0)
            top = c[i];
    for (size_t i = from; i < to; i++)
        if (rule->cmp(sp, c[i], top) == 0)
            c[n++] = c[i];
    return n;
}

/* One rule's elimination over the candidates c[0 .. n): removes every path another candidate
 * beats under the rule, within the rule's group when it has one. Returns how many are left (in
 * c[0 ..)); which ones does not depend on the order of c. O(n) without a group, O(n log n) with
 * one (candidates sorted by group, then each group's best kept). */
static size_t dp_eliminate(const ArSpeaker *sp, const ArDpRule *rule, ArRoute **c, size_t n)
{
    if (!rule->group)
        return dp_keep_best(sp, rule, c, 0, 0, n);
    DpGroupCtx g = { sp, rule->group };
    g_qsort_with_data(c, (gint)n, sizeof(ArRoute *), dp_group_order, &g);
    size_t kept = 0;
    for (size_t from = 0; from < n;) {
        uint32_t id = rule->group(sp, c[from]);
        size_t to = from + 1;
        while (to < n && rule->group(sp, c[to]) == id)
            to++;
        kept = dp_keep_best(sp, rule, c, kept, from, to); /* kept <= from: writes behind the scan */
        from = to;
    }
    return kept;
}

/* Candidates kept on the stack up to this many paths; more (a prefix announced by hundreds of
 * NVAs) go to the heap. */
#define DP_STACK_PATHS 32

ArRoute *dp_best_memo(const ArSpeaker *sp, const ArRibNet *n, ArDpMemo *memo)
{
    ArRoute *r0 = rib_first(n);
    if (!memo || !r0 || rib_paths(n) < 2)
        return dp_best(sp, n);
    ArRoute *at[DP_MEMO_PATHS];
    uint32_t k = 0;
    bool hit = memo->n != 0;
    for (ArRoute *r = r0; r; r = rib_route_next(n, r)) {
        if (k == DP_MEMO_PATHS)
            return dp_best(sp, n);
        hit = hit && k < memo->n && memo->attrs[k] == rt_ax(r) && memo->peer[k] == r->peer && memo->flags[k] == r->flags;
        at[k++] = r;
    }
    if (hit && k == memo->n)
        return at[memo->best];
    ArRoute *b = dp_best(sp, n);
    memo->n = k;
    for (uint32_t i = 0; i < k; i++) {
        memo->attrs[i] = rt_ax(at[i]);
        memo->peer[i] = at[i]->peer;
        memo->flags[i] = at[i]->flags;
        if (at[i] == b)
            memo->best = i;
    }
    return b;
}

ArRoute *dp_best(const ArSpeaker *sp, const ArRibNet *n)
{
    /* One or two paths: the pairwise comparison is the set elimination (no third path to break
     * transitivity), and it is the common case. */
    ArRoute *r0 = rib_first(n);
    if (!r0 || rib_paths(n) < 2)
        return r0;
    if (rib_paths(n) == 2)
        return dp_compare(sp, r0 + 1, r0, NULL) > 0 ? r0 + 1 : r0;
    size_t cnt = rib_paths(n);
    ArRoute *stack[DP_STACK_PATHS];
    g_autofree ArRoute **heap = cnt > DP_STACK_PATHS ? g_new(ArRoute *, cnt) : NULL;
    ArRoute **c = heap ? heap : stack;
    size_t k = 0;
    for (ArRoute *r = rib_first(n); r; r = rib_route_next(n, r))
        c[k++] = r;
    for (size_t i = 0; i < dp_rule_count && k > 1; i++)
        k = dp_eliminate(sp, &dp_rules[i], c, k);
    g_assert(k == 1); /* the last rule (peer index) tells any two paths apart */
    return c[0];
}
