/* report: check results as text (a short dig-like report) and JSON Lines. */
#ifndef PTRWIZ_REPORT_H
#define PTRWIZ_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "ptrwiz/check.h"

struct report_style {
        bool color; /* ANSI colours for severities (text only, a tty, no NO_COLOR) */
};

void report_text(FILE *out, const struct check_result *res, const struct report_style *style);

/* One JSON object on one line, newline-terminated; caller frees. */
char *report_json(const struct check_result *res);

#endif
