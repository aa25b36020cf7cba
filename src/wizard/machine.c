/* Step 1's "this machine" (m): instead of a bounce, the addresses this
 * machine would send mail from (the sender module: routes, the MTA's
 * settings, its HELO name), each with the one diagnosis's verdict. They
 * become step 1's addresses to pick from, so Enter walks the wizard for
 * the one receivers see, typically the IPv6 source nobody gave a PTR. */
#include "wizard/wiz.h"

#include <stdlib.h>
#include <string.h>

#include "ptrwiz/sender.h"

struct wiz_machine {
        struct sender_opts o;
        int ntoward;
        struct resolver *resolver; /* its own: a re-run of the diagnosis frees the session's */
        struct sender *run;
        struct sender_result *res;
};

static struct wiz_machine *get(struct wiz *w)
{
        if (!w->machine)
                w->machine = calloc(1, sizeof(*w->machine));
        return w->machine;
}

static struct wiz_machine *get_or_say(struct wiz *w)
{
        struct wiz_machine *m = get(w);
        if (!m)
                cli_error("out of memory");
        return m;
}

int machine_set_postfix_config(struct wiz *w, const char *dir)
{
        struct wiz_machine *m = get_or_say(w);
        if (!m)
                return -1;
        m->o.postfix_config = dir;
        return 1;
}

int machine_add_toward(struct wiz *w, const char *arg)
{
        struct wiz_machine *m = get_or_say(w);
        if (!m)
                return -1;
        struct addr a;
        char err[200];
        if (m->ntoward == 2 || addr_parse(arg, &a, err, sizeof(err)) < 0) {
                cli_error("--toward: %s", m->ntoward == 2 ? "at most two (one per family)" : err);
                return -1;
        }
        m->o.toward[m->ntoward++] = arg;
        return 1;
}

bool machine_busy(const struct wiz *w)
{
        return w->machine && w->machine->run;
}

static void stop(struct wiz_machine *m)
{
        if (m->run)
                sender_cancel(m->run);
        m->run = NULL;
        resolver_free(m->resolver);
        m->resolver = NULL;
}

static void on_done(void *arg, struct sender_result *res)
{
        struct wiz *w = arg;
        struct wiz_machine *m = w->machine;
        m->run = NULL;
        resolver_free(m->resolver);
        m->resolver = NULL;
        sender_result_free(m->res);
        m->res = res;
        /* The address the MTA would use and that fails is picked first. */
        w->pick = identify_machine(&w->ident, res);
        w->dirty = true;
        wiz_message(w, res->verdict == VERDICT_FAIL ? TONE_BAD : TONE_GOOD,
                    "This machine: %zu source address%s found; Enter checks the one picked.",
                    w->ident.nips, w->ident.nips == 1 ? "" : "es");
}

void machine_start(struct wiz *w)
{
        struct wiz_machine *m = get(w);
        if (!m)
                return;
        if (m->run) {
                wiz_message(w, TONE_WARN, "Already looking at this machine (Esc cancels).");
                return;
        }
        stop(m);
        /* Each source is checked as check --quick does: the wizard then
         * walks the one picked with the trace. */
        struct cli_common c = w->common;
        c.quick = true;
        m->o.check = cli_check_opts(&c, 0);
        char err[300];
        m->resolver = resolver_new(&w->common.resolver, w->lp, err, sizeof(err));
        if (m->resolver)
                m->run = sender_start(m->resolver, &m->o, on_done, w, err, sizeof(err));
        if (!m->run) {
                stop(m);
                wiz_message(w, TONE_BAD, "Cannot look at this machine: %s", err);
                return;
        }
        input_set(&w->input, "", 0);
        identify_free(&w->ident);
        w->editing = false;
        w->focus = PANE_MAIN;
        w->dirty = true;
        wiz_message(w, TONE_NONE,
                    "Looking at this machine: its source addresses, its MTA, "
                    "its HELO name... (Esc cancels)");
}

void machine_cancel(struct wiz *w)
{
        if (!machine_busy(w))
                return;
        stop(w->machine);
        wiz_message(w, TONE_WARN, "Cancelled: this machine was not looked at.");
}

void machine_free(struct wiz *w)
{
        if (!w->machine)
                return;
        stop(w->machine);
        sender_result_free(w->machine->res);
        free(w->machine);
        w->machine = NULL;
}
