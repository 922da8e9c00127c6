/* cmd_help.c - `arsim help [COMMAND]`: the overview of every command, or one command's options. */
#include "cli_priv.h"

static const char *const help_overview =
    "arsim simulates BGP route propagation through Azure Route Server, offline, in milliseconds.\n"
    "\n"
    "Usage: arsim COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Commands:\n"
    "  run FILE         simulate a scenario; print every router's routes and every VNet's\n"
    "                   effective routes (--json for scripts)\n"
    "  compare A [B]    what changes between A and B, or A and A with --set changes: routes\n"
    "                   gained and lost, effective routes, who can reach whom (exit 1 if different)\n"
    "  graph FILE -o OUT  draw the topology and the results (svg, png, pdf, dot); --prefix P\n"
    "                   shows how one prefix propagates and why it stops\n"
    "  trace FILE       follow a packet --from a site, VNet or VNET/SUBNET --to an address, hop by hop\n"
    "  report FILE -o report.html  one self-contained HTML page: diagram, tables, reachability,\n"
    "                   comparison (--compare B.json or --compare-set PATH=VALUE), timeline\n"
    "  sweep FILE       every single (or double) failure: which one cuts a site off, for how long\n"
    "                   (--kinds, --depth 2, --jobs N; mpirun -n 8 arsim sweep FILE with MPI)\n"
    "  generate         write a scenario of a given size (spokes, NVAs, prefixes...)\n"
    "  validate FILE...  check scenario files; every problem as FILE:LINE:COL: /json/pointer: message\n"
    "  version          print arsim's version and the GLib, cJSON and Graphviz versions it runs with\n"
    "  import DIR -o FILE  a scenario from what 'az network ... list -o json' and 'az group export' print\n"
    "  check FILE KIND:NAME=OBSERVED...  the simulation against routes saved from Azure (exit 1 if different)\n"
    "  live FILE --peer NVA=ADDRESS[:PORT]  the Route Server speaks real BGP to your own NVA (BIRD, FRR...)\n"
    "                   in real time; the rest of the scenario is simulated\n"
    "  help [COMMAND]   this text, or a command's options\n"
    "\n"
    "Examples:\n"
    "  arsim run scenarios/seed-er-sdwan.json\n"
    "  arsim run scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim run scenarios/seed-er-sdwan.json --node sdwan --json\n"
    "  arsim run scenarios/seed-er-sdwan.json --learned-routes sdwan\n"
    "  arsim compare scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim trace scenarios/seed-er-sdwan.json --from onprem1 --to 10.200.0.4\n"
    "  arsim run scenarios/nva-silent-failure.json --timeline\n"
    "  arsim graph scenarios/seed-er-sdwan.json --prefix 10.200.0.0/16 -o why.svg\n"
    "  arsim report scenarios/seed-er-sdwan.json --compare-set routeServers.ars.allowBranchToBranchTraffic=true -o r.html\n"
    "  arsim sweep scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim validate scenarios/*.json\n"
    "  arsim live scenarios/seed-er-sdwan.json --peer sdwan=127.0.0.1:1179 --local 127.0.0.2 --local 127.0.0.3\n"
    "\n"
    "Exit status: 0 success, 1 differences found (compare) or not delivered (trace), 2 bad input\n"
    "or arguments, 3 routing did not settle.\n"
    "Environment: ARSIM_HUGE_PAGES=0 keeps a large run's memory in 4 KiB pages (the default asks\n"
    "the kernel for 2 MiB pages: fewer page faults; docs/performance.md).\n"
    "The scenario format is described in docs/scenario-format.md, the JSON outputs in\n"
    "docs/output-format.md, the Azure rules modelled in docs/azure-rules.md.\n";

const char *cli_overview(void)
{
    return help_overview;
}

/* `arsim help`: the overview; `arsim help COMMAND`: that command's --help (extra words ignored). */
static int help_main(const CliCommand *cmd, int argc, char **argv)
{
    if (argc < 2) {
        fputs(help_overview, stdout);
        return EXIT_OK;
    }
    const CliCommand *c = cli_command_find(argv[1], FALSE);
    if (!c)
        return cli_command_unknown(argv[1]);
    char *args[] = { argv[1], "--help", NULL };
    return c->main(c, 2, args);
}

const CliCommand cli_cmd_help = {
    .name = "help",
    .main = help_main,
};
