/* check internals shared by check_eval.c and check_time.c. Not installed. */
#ifndef PTRWIZ_CHECK_INT_H
#define PTRWIZ_CHECK_INT_H

#include "ptrwiz/check.h"

/* The PTR lookup ran into the deadline (RES_TIMEOUT): RESOLUTION_TIMEOUT
 * with blame_fix when the trace saw a server fail, else a finding that
 * blames nobody and says what the trace measured. */
void check_eval_timeout(struct check_result *res, const char *blame_fix);
/* A forward lookup of name ran into the deadline. */
void check_eval_forward_timeout(struct check_result *res, const char *name);

#endif
