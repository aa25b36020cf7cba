/* compare: what changed between two diagnoses of one address: the PTR
 * answer, forward confirmation, the verdict and the findings. The wizard's
 * step 5 and `ptrwiz check --watch` both show this one comparison. */
#ifndef PTRWIZ_COMPARE_H
#define PTRWIZ_COMPARE_H

#include <stddef.h>
#include "ptrwiz/check.h"

enum compare_kind {
        CHANGE_PTR,          /* the PTR answer (names, or the failure) */
        CHANGE_FCRDNS,       /* the name leads back to the IP, or not */
        CHANGE_VERDICT,      /* pass, warn, fail */
        CHANGE_ACTOR,        /* who must act for the whole diagnosis */
        CHANGE_FINDING_GONE, /* a warning or error of the old run is gone */
        CHANGE_FINDING_NEW,  /* a warning or error the old run did not have */
};

struct compare_change {
        enum compare_kind kind;
        int direction;          /* 1 better, -1 worse, 0 neither (another PTR name) */
        enum finding_code code; /* CHANGE_FINDING_* */
        enum severity severity; /* CHANGE_FINDING_*: the finding's */
        char text[900];         /* one line, built from escaped values */
};

struct compare_changes {
        struct compare_change *v;
        size_t n;
};

/* Fills out (cleared first) with what changed from old to now, in the
 * order step 5 shows it. Returns the number of changes, -1 out of memory. */
int compare_results(const struct check_result *old, const struct check_result *now,
                    struct compare_changes *out);
void compare_changes_clear(struct compare_changes *c);

/* The PTR answer in words: "a.example.com., b.example.com." or the status
 * ("NXDOMAIN", "not asked"). */
void compare_ptr_words(const struct check_result *r, char *buf, size_t len);

#endif
