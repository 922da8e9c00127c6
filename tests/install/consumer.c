/* consumer.c - a program outside arsim using the installed libarsim: test_dist builds it against arsim.pc. */
/*
 *   consumer SCENARIO NODE PREFIX
 * loads SCENARIO through the library, runs it to convergence and prints NODE's best path to PREFIX:
 * exit 0 with "arsim VERSION: NODE PREFIX AS-PATH", 1 when NODE has no route to PREFIX, 2 on bad
 * input, 3 when the run did not converge.
 */
#include <arsim/bgp.h>
#include <arsim/cli.h>
#include <arsim/loader.h>
#include <arsim/run.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: consumer SCENARIO NODE PREFIX\n", stderr);
        return 2;
    }
    g_autoptr(ArDiagList) diags = diag_list_new();
    g_autoptr(ArScenario) scn = load_file(argv[1], NULL, diags);
    if (!scn) {
        diag_print(diags, stderr);
        return 2;
    }
    ArPrefix p;
    if (pfx_parse(argv[3], &p) != PFX_OK) {
        fprintf(stderr, "not a prefix: %s\n", argv[3]);
        return 2;
    }
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    if (run->end != RUN_CONVERGED)
        return 3;
    ArSpeaker *sp = bgp_speaker_find(run->net->sim, argv[2]);
    if (!sp) {
        fprintf(stderr, "no node %s\n", argv[2]);
        return 2;
    }
    const ArRibNet *n = rib_find(&sp->rib, pfx_key(p));
    if (!n || !rib_best(n)) {
        printf("%s has no route to %s\n", argv[2], argv[3]);
        return 1;
    }
    g_autofree char *path = attr_path_to_string(rt_attrs(rib_best(n))->path);
    printf("arsim %s: %s %s %s\n", cli_version(), argv[2], argv[3], path);
    return 0;
}
