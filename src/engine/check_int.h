/* check_int: what check_eval.c uses from the check module's other files. */
#ifndef PTRWIZ_CHECK_INT_H
#define PTRWIZ_CHECK_INT_H

#include "ptrwiz/check.h"

/* The one finding of a check whose lookup nothing upstream answered
 * (check_upstream_silent): this machine's fault, with where it showed. */
void check_add_upstream_finding(struct check_result *res);

#endif
