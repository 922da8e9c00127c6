/* decision.h - the BGP decision process (decision.c): the rules, one criterion each, and the choice
 * of a net's best path. It reads speakers, peers and routes (bgp.h, rib.h) and calls nothing in
 * the rest of the engine: the engine (receive.c) depends on it, not the other way round. */
#ifndef ARSIM_DECISION_H
#define ARSIM_DECISION_H

#include "arsim/bgp.h"

#include <stddef.h>
#include <stdint.h>

typedef int (*ArDpRuleFn)(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b);
typedef uint32_t (*ArDpGroupFn)(const ArSpeaker *sp, const ArRoute *r);
typedef struct ArDpRule {
    const char *name;    /* short name for explanations, e.g. "AS path length" */
    ArDpRuleFn cmp;      /* > 0 if a is better, < 0 if b is better, 0 if this rule ties */
    ArDpGroupFn group;   /* NULL: cmp orders all paths; else cmp only orders paths of one group
                            (MED: the neighbouring AS) and returns 0 across groups */
} ArDpRule;
extern const ArDpRule dp_rules[];
extern const size_t dp_rule_count;
/* Compares two paths for the same prefix; *rule (if not NULL) gets the index of the deciding rule,
 * or dp_rule_count on a full tie. O(rules). Not a total order over three or more paths (MED is
 * compared only within a neighbouring AS): use dp_best to choose among a net's paths. */
int dp_compare(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b, size_t *rule);
/* Best path of a net, NULL when it has none: RFC 4271 9.1.2.2's set elimination, rule by rule, so
 * the result does not depend on the order of the paths. O(rules x paths log paths). */
ArRoute *dp_best(const ArSpeaker *sp, const ArRibNet *n);

/* The last decision of a batch (one UPDATE's prefixes, one session's withdrawals): the paths it
 * chose among, as (attributes, peer, flags) in list order, and the winner's position. The prefixes
 * of a batch mostly have paths that agree in all of those, and the decision reads a path only
 * through them (ArPolicy.rank's contract), so it is taken once per run of such prefixes. Valid
 * within one batch: settings the rank reads change only between events. Zero-initialise it. */
#define DP_MEMO_PATHS 4
typedef struct ArDpMemo {
    uint32_t n;                          /* paths remembered, 0 = nothing */
    uint32_t best;                       /* position of the winner among them */
    uint32_t attrs[DP_MEMO_PATHS];       /* each path's attribute set (rt_ax), */
    uint16_t peer[DP_MEMO_PATHS];        /* ... peer */
    uint16_t flags[DP_MEMO_PATHS];       /* ... and flags */
} ArDpMemo;
/* dp_best, through the batch's memo (NULL: none). O(paths) on a hit; nets of more than
 * DP_MEMO_PATHS paths are always decided in full. */
ArRoute *dp_best_memo(const ArSpeaker *sp, const ArRibNet *n, ArDpMemo *memo);

#endif
