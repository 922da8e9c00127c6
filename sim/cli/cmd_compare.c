/* cmd_compare.c - placeholder until the compare/trace commands land (owned by the compare work). */
#include "arsim/cli.h"

int cmd_compare(const ArCompareArgs *a, FILE *out, FILE *err)
{
    fprintf(err, "arsim compare: not available in this build\n");
    return EXIT_BAD_INPUT;
}

int cmd_trace(const ArTraceArgs *a, FILE *out, FILE *err)
{
    fprintf(err, "arsim trace: not available in this build\n");
    return EXIT_BAD_INPUT;
}
