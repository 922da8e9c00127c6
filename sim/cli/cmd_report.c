/* cmd_report.c - placeholder until the HTML report lands (owned by the report work). */
#include "arsim/cli.h"

int cmd_report(const ArReportArgs *a, FILE *out, FILE *err)
{
    fprintf(err, "arsim report: not available in this build\n");
    return EXIT_BAD_INPUT;
}
