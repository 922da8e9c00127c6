/* cmd_generate.c - placeholder until the scenario generator lands (owned by the scale work). */
#include "arsim/cli.h"

int cmd_generate(const ArGenerateArgs *a, FILE *out, FILE *err)
{
    fprintf(err, "arsim generate: not available in this build\n");
    return EXIT_BAD_INPUT;
}
