/* watch: ptrwiz check --watch: the same bulk run again and again, printing
 * only what changed (the engine's comparison, as in the wizard's step 5). */
#ifndef PTRWIZ_CLI_WATCH_H
#define PTRWIZ_CLI_WATCH_H

#include <stdbool.h>
#include "cli/run.h"

/* Runs o every interval_s seconds until SIGINT/SIGTERM, or with
 * until_pass until every target passes or warns. Returns the exit status
 * of the last finished run (EXIT_FAIL when interrupted before any). */
int watch_run(struct check_run *o, int interval_s, bool until_pass);

#endif
