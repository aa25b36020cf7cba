/* watch: re-check until interrupted or until it passes (watch.h). Each run
 * has a fresh resolver (cli_run_checks makes one), so it sees the DNS as it is
 * now, like the wizard's r. */
#include "cli/watch.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "ptrwiz/compare.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
        stop_requested = sig;
}

struct seen {
        char *key; /* target and address */
        struct check_result *last;
};

struct watch {
        const struct check_run *o;
        struct seen *v;
        size_t n;
        size_t fails; /* in this run */
        char stamp[32];
        bool oom;
};

static void stamp_now(struct watch *w)
{
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(w->stamp, sizeof(w->stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static struct seen *seen_find(struct watch *w, const char *key)
{
        for (size_t i = 0; i < w->n; i++)
                if (strcmp(w->v[i].key, key) == 0)
                        return &w->v[i];
        struct seen *v = realloc(w->v, (w->n + 1) * sizeof(*v));
        if (!v)
                return NULL;
        w->v = v;
        v[w->n] = (struct seen){.key = strdup(key)};
        if (!v[w->n].key)
                return NULL;
        return &v[w->n++];
}

static void print_first_text(const struct watch *w, const char *who, const struct check_result *res)
{
        printf("%s %s: %s", w->stamp, who, verdict_name(res->verdict));
        const char *sep = ": ";
        for (size_t i = 0; i < res->findings.n; i++) {
                if (res->findings.v[i].severity == SEV_INFO)
                        continue;
                printf("%s%s", sep, finding_code_name(res->findings.v[i].code));
                sep = ", ";
        }
        char ptr[400];
        compare_ptr_words(res, ptr, sizeof(ptr));
        printf(" (PTR %s)\n", ptr);
}

static void print_json(const struct watch *w, const char *target, const struct check_result *res,
                       const struct compare_changes *c, bool first)
{
        json_t *changes = json_array();
        for (size_t i = 0; c && i < c->n; i++)
                json_array_append_new(changes, json_string(c->v[i].text));
        json_t *codes = json_array();
        for (size_t i = 0; i < res->findings.n; i++)
                json_array_append_new(codes,
                                      json_string(finding_code_name(res->findings.v[i].code)));
        json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "time", w->stamp, "target",
                                target, "ip", res->ip_text, "verdict", verdict_name(res->verdict),
                                "first", first, "codes", codes, "changes", changes);
        char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (s)
                puts(s);
        free(s);
        json_decref(obj);
}

static void watch_result(void *arg, struct check_result *res, const char *target)
{
        struct watch *w = arg;
        char key[600], who[600];
        snprintf(key, sizeof(key), "%s %s", target, res->ip_text);
        if (strcmp(target, res->ip_text) == 0)
                snprintf(who, sizeof(who), "%s", target);
        else
                snprintf(who, sizeof(who), "%s (%s)", target, res->ip_text);
        if (res->verdict == VERDICT_FAIL || res->verdict == VERDICT_UNKNOWN)
                w->fails++;
        stamp_now(w);
        struct seen *s = seen_find(w, key);
        if (!s) {
                w->oom = true;
                check_result_free(res);
                return;
        }
        if (!s->last) {
                if (w->o->json)
                        print_json(w, target, res, NULL, true);
                else
                        print_first_text(w, who, res);
        } else {
                struct compare_changes c = {0};
                if (compare_results(s->last, res, &c) < 0)
                        w->oom = true;
                if (c.n > 0 && w->o->json)
                        print_json(w, target, res, &c, false);
                for (size_t i = 0; !w->o->json && i < c.n; i++)
                        printf("%s %s: %s\n", w->stamp, who, c.v[i].text);
                compare_changes_clear(&c);
        }
        fflush(stdout);
        check_result_free(s->last);
        s->last = res;
}

static void watch_error(void *arg, const char *target, const char *why)
{
        struct watch *w = arg;
        w->fails++;
        stamp_now(w);
        printf("%s %s: error: %s\n", w->stamp, target, why);
        fflush(stdout);
}

/* Sleeps up to s seconds; a signal ends it early. */
static void pause_for(int s)
{
        struct timespec left = {.tv_sec = s};
        while (!stop_requested && nanosleep(&left, &left) != 0)
                ;
}

int watch_run(struct check_run *o, int interval_s, bool until_pass)
{
        struct watch w = {.o = o};
        struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int); /* no SA_RESTART: poll and sleep wake up */
        sigaction(SIGTERM, &sa, &old_term);
        o->on_result = watch_result;
        o->on_error = watch_error;
        o->on_arg = &w;
        o->stop = &stop_requested;
        int status = EXIT_FAIL, runs = 0;
        while (!stop_requested) {
                w.fails = 0;
                int rc = cli_run_checks(o);
                if (stop_requested)
                        break; /* an unfinished run has no status */
                status = rc;
                runs++;
                if (w.oom || rc == EXIT_USAGE || rc == EXIT_RESOLVER)
                        break;
                if (until_pass && w.fails == 0) {
                        stamp_now(&w);
                        if (!o->json)
                                printf("%s passes: watch stopped after %d run%s\n", w.stamp, runs,
                                       runs == 1 ? "" : "s");
                        break;
                }
                pause_for(interval_s);
        }
        if (stop_requested && !o->json) {
                stamp_now(&w);
                printf("%s interrupted after %d run%s\n", w.stamp, runs, runs == 1 ? "" : "s");
        }
        fflush(stdout);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        for (size_t i = 0; i < w.n; i++) {
                free(w.v[i].key);
                check_result_free(w.v[i].last);
        }
        free(w.v);
        return status;
}
