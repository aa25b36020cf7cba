/* ptrwiz trace: placeholder until the delegation trace lands (issue 4). */
#include "cli/cli.h"

int cli_trace(int argc, char **argv)
{
        cli_error("trace: not built yet");
        return EXIT_USAGE;
}
