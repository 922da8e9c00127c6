/* main.c - the arsim executable: hands the command line to the library's dispatch (cli_main). */
#include "arsim/cli.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    cli_process_setup();
    int status = cli_main(argc, argv);
    /* Output that never arrived (a full disk, a closed pipe) is a failure, whatever the command
     * concluded: a script must not read a truncated table as the answer. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "arsim: cannot write to standard output: %s\n", g_strerror(errno));
        return EXIT_BAD_INPUT;
    }
    return status;
}
