/* check_int: what check_eval.c uses from the check module's other files. */
#ifndef PTRWIZ_CHECK_INT_H
#define PTRWIZ_CHECK_INT_H

#include "ptrwiz/check.h"

/* The one finding of a check whose lookup failed on this machine's side
 * (check_local_fault): nothing upstream answered, or a local firewall
 * blocked the zone's servers; says where it showed. */
void check_add_upstream_finding(struct check_result *res);

#endif
