/* wiz: the wizard's state and the functions its files share. The session
 * part is what the engine produced (results, the trace), kept for drawing
 * and the report; the screen part is where the user is. */
#ifndef PTRWIZ_WIZARD_WIZ_H
#define PTRWIZ_WIZARD_WIZ_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cli/cli.h"
#include "ptrwiz/check.h"
#include "ptrwiz/ticket.h"
#include "ptrwiz/trace.h"
#include "wizard/doc.h"
#include "wizard/ui.h"

enum wiz_step { STEP_IDENTIFY, STEP_PTR, STEP_FORWARD, STEP_TRACE, STEP_RETEST, STEP__COUNT };

enum step_state {
        SS_TODO,
        SS_RUNNING,
        SS_PASS,
        SS_WARN,
        SS_FAIL,
        SS_SKIPPED,
        SS_CANCELLED,
};

enum pane_id { PANE_STEPS, PANE_MAIN, PANE_TRACE, PANE_BREAKDOWN, PANE__COUNT };

/* X(action, key as shown, short word for the status line, help text).
 * The one table of what keys do: the keymap, the status line and the help
 * pane all read it. */
#define WIZ_ACTIONS(X)                                                                             \
        X(ACT_NONE, "", "", "")                                                                    \
        X(ACT_NEXT, "Enter", "next", "go to the next step; in step 5 test again")                  \
        X(ACT_PREV, "p", "back", "go to the previous step (Backspace too)")                        \
        X(ACT_FOCUS_NEXT, "Tab", "pane", "move to the next pane (Left/Right arrows too)")          \
        X(ACT_FOCUS_PREV, "S-Tab", "pane", "move to the previous pane")                            \
        X(ACT_FOCUS_LEFT, "Left", "pane", "move to the pane on the left")                          \
        X(ACT_FOCUS_RIGHT, "Right", "pane", "move to the pane on the right")                       \
        X(ACT_UP, "Up", "up", "move up: pick a step or an address, or scroll")                     \
        X(ACT_DOWN, "Down", "down", "move down: pick a step or an address, or scroll")             \
        X(ACT_SCROLL_UP, "k", "up", "scroll the pane up one line")                                 \
        X(ACT_SCROLL_DOWN, "j/k", "scroll", "scroll the pane down one line (j/k)")                 \
        X(ACT_PAGE_UP, "PgUp", "page", "scroll up a page")                                         \
        X(ACT_PAGE_DOWN, "PgDn", "page", "scroll down a page (Space too)")                         \
        X(ACT_HOME, "Home", "top", "go to the top of the pane (g too)")                            \
        X(ACT_END, "End", "end", "go to the end of the pane (G too)")                              \
        X(ACT_RETEST, "r", "re-test", "run the checks again from the root (fresh cache)")          \
        X(ACT_EXPORT, "e", "export", "write the session as a Markdown report for a ticket")        \
        X(ACT_WATCH, "w", "watch", "re-test every few seconds until it passes (w again stops)")    \
        X(ACT_SEND, "s", "send test", "step 5: send a test mail to an address of yours (opt-in)")  \
        X(ACT_EDIT, "i", "edit", "edit the text in step 1")                                        \
        X(ACT_MACHINE, "m", "this machine",                                                        \
          "step 1: the addresses this machine sends mail from (routes, the MTA's settings), "      \
          "each checked, and its HELO name; Enter walks the one picked")                           \
        X(ACT_WHERE, "d", "provider",                                                              \
          "say where you created the PTR (the DNS provider's name servers or its domain): the "    \
          "trace checks the reverse zone is delegated there")                                      \
        X(ACT_WHERE_FWD, "f", "my domain's NS",                                                    \
          "you created the PTR where your domain is hosted: use its name servers")                 \
        X(ACT_COPY, "c", "copy message",                                                           \
          "copy the message for whoever must act: to the clipboard (OSC 52) and a file")           \
        X(ACT_ZOOM, "z", "zoom", "show the pane in focus on the whole screen (z again: back)")     \
        X(ACT_HELP, "?", "help", "this help (F1 too)")                                             \
        X(ACT_CANCEL, "Esc", "cancel", "cancel the running step; close help; stop editing")        \
        X(ACT_QUIT, "q", "quit", "quit (Ctrl-C too); the terminal is restored")

enum action {
#define WIZ_ACTION_ENUM(act, key, word, help) act,
        WIZ_ACTIONS(WIZ_ACTION_ENUM)
#undef WIZ_ACTION_ENUM
            ACT__COUNT
};

/* keymap.c */
enum action keymap_action(const struct key *k);
const char *action_key(enum action a);
const char *action_word(enum action a);
const char *action_help(enum action a);

/* The multi-line text of step 1 (input.c). */
struct input {
        char *buf;
        size_t len, cap, cursor; /* byte offsets */
        int top;                 /* first line shown */
        bool pasting;            /* inside a bracketed paste */
        int cur_y, cur_x;        /* where the cursor was drawn, -1 when hidden */
};

enum input_result { INPUT_IGNORED, INPUT_CHANGED, INPUT_MOVED, INPUT_SUBMIT, INPUT_LEAVE };

enum input_result input_key(struct input *in, const struct ui *ui, const struct key *k);
void input_set(struct input *in, const char *text, size_t len);
void input_free(struct input *in);
size_t input_lines(const struct input *in);
/* Draws the text in r with the cursor when editing. */
void input_draw(struct input *in, const struct ui *ui, struct rect r, bool editing);

/* What step 1 found in the text (identify.c). */
struct found_ip {
        struct addr ip;
        char text[ADDR_STRLEN];
        char *context; /* the line it was found on, escaped */
        bool sender;   /* the bounce says this is the sending IP */
};

struct identify {
        struct found_ip *ips;
        size_t nips;
        bool about_rdns; /* the text speaks of reverse DNS */
        bool just_an_ip; /* the text is one address and nothing else */
        /* Only addresses the text shows as the sending one are in ips: never
         * the receiver's. When there are none, hint says why and what to do
         * instead (a non-PTR rejection, or the sending host to resolve). */
        char hint[600];
        struct doc others;   /* the addresses not offered, with what they are */
        struct doc headline; /* is it about reverse DNS, in one line */
        struct doc facts;    /* what the message means and who sent it */
        char *sending_host;  /* the bounce's own sending server, escaped, or NULL */
        char *reply;         /* the receiver's rejection, escaped, or NULL */
        bool from_machine;   /* the addresses are this machine's (machine.c), not a text's */
};

void identify_scan(struct identify *id, const char *text, size_t len);
void identify_free(struct identify *id);
struct sender_result;
/* This machine's source addresses as step 1's addresses (machine.c);
 * returns the one to pick first: the first the MTA uses that fails. */
size_t identify_machine(struct identify *id, const struct sender_result *r);

struct pane {
        int scroll;       /* first row shown */
        int rows, height; /* content rows and visible rows at the last draw */
        bool follow;      /* stay at the end as lines arrive */
        int width;        /* text columns at the last draw (search wraps as the pane) */
};

/* One complete run, for step 5's history and the report. */
#define WIZ_HISTORY 64
struct run_log {
        time_t when;
        enum verdict verdict;
        char what[200]; /* "PTR mail.example. (A matches)" or "PTR: NXDOMAIN" */
};

/* tour.c: a named lab scenario (--lab). */
struct tour_scenario {
        const char *name, *ip, *expect_ns, *what;
};

/* where.c: where the user created the PTR, used as --expect-ns. */
struct wiz;
struct where_slot {
        struct wiz *w;
        int i;
};
struct where {
        bool asking; /* the prompt is open */
        char text[300];
        size_t len;
        struct resolver *r; /* its own: a re-run of the diagnosis frees the session's */
        char words[8][300]; /* typed: name servers, or a zone whose NS they are */
        long query[8];
        struct resolver_answer *answer[8];
        struct where_slot slot[8];
        int nwords, pending;
        char fwd_domain[300]; /* the sending domain, and its name servers */
        char fwd[8][300];
        int nfwd;
        long fwd_query;
};

void where_ask(struct wiz *w);
void where_use_forward(struct wiz *w);
/* Keys while the prompt is open; false when it is closed. */
bool where_key(struct wiz *w, const struct key *k);
/* After a run: look up the sending domain's name servers for the one-key choice. */
void where_update(struct wiz *w);
void where_doc(struct doc *d, const struct wiz *w);
void where_draw(struct wiz *w, struct rect status);
void where_list(const struct wiz *w, char *buf, size_t len);
void where_free(struct wiz *w);

struct wiz {
        struct cli_common common;
        const struct tour_scenario *tour; /* --lab NAME, or NULL */
        const char *report_path;
        bool report_full_bounce; /* --report-full-bounce */
        int watch_interval_s;
        struct ui ui;
        struct loop *lp;

        /* The session. */
        bool has_ip;
        struct addr ip;
        char ip_text[ADDR_STRLEN];
        struct resolver *resolver;
        struct check *check;                /* running, or NULL */
        const struct check_result *partial; /* the running check's result so far */
        struct check_result *result;        /* the last complete run */
        struct check_result *previous;      /* the run before it (step 5 compares) */
        bool check_cancelled;
        bool trace_cancelled, trace_wanted;
        char trace_error[256];
        struct doc trace_lines; /* the dig-style trace pane */
        int runs;               /* complete runs for this IP */
        bool run_logged; /* the current run has its history line (a later trace updates it) */
        time_t run_wall, previous_wall;
        int64_t run_started_ms;
        char run_error[300];
        struct run_log history[WIZ_HISTORY]; /* oldest dropped when full */
        size_t nhistory;
        bool watching;
        long watch_timer;
        int64_t watch_due;

        /* The screen. */
        enum wiz_step step;
        enum pane_id focus, detail;
        bool editing, help, zoom;
        int step_cursor;
        size_t pick;     /* the address picked in step 1 */
        bool pick_moved; /* scroll the pick into view at the next draw */
        struct input input;
        struct identify ident;
        struct where where;
        struct ticket *ticket; /* helpdesk.c: for the result below */
        const struct check_result *ticket_of;
        bool ident_stale; /* the text changed: read it again after these keys */
        struct pane panes[PANE__COUNT], help_pane;
        char search[64];    /* `/`'s query (search.c) */
        bool search_typing; /* the query is being typed */
        size_t search_line; /* the doc line of the last match */
        char message[400];
        enum doc_tone message_tone;
        int64_t message_until;
        bool dirty, quit;
        bool quit_pending;     /* q while the diagnosis runs: quit when it is done */
        char last_report[300]; /* the report e wrote last, escaped, for the line on quit */
        int exit_status;
        struct wiz_delivery *delivery; /* step 5's delivery test (delivery.c), or NULL */
        struct wiz_machine *machine;   /* step 1's "this machine" (machine.c), or NULL */
};

/* delivery.c: step 5's opt-in delivery test. */
void delivery_offer(struct wiz *w); /* s: ask for the address */
bool delivery_prompting(const struct wiz *w);
void delivery_prompt_key(struct wiz *w, const struct key *k);
bool delivery_busy(const struct wiz *w);
void delivery_cancel(struct wiz *w);
void delivery_doc(const struct wiz *w, struct doc *d);
void delivery_free(struct wiz *w);

/* machine.c: step 1's "this machine" (m, --this-machine). */
/* --postfix-config DIR and --toward IP; 1, or -1 after a one-line error. */
int machine_set_postfix_config(struct wiz *w, const char *dir);
int machine_add_toward(struct wiz *w, const char *arg);
void machine_start(struct wiz *w);
bool machine_busy(const struct wiz *w);
void machine_cancel(struct wiz *w);
void machine_free(struct wiz *w);

/* session.c: runs the engine for the IP. */
void session_set_ip(struct wiz *w, const struct addr *ip);
/* A fresh resolver (no cache from earlier runs), then the check, and the
 * trace too when with_trace. Returns -1 with run_error set on failure. */
int session_run(struct wiz *w, bool with_trace);
void session_run_trace(struct wiz *w);
void session_cancel(struct wiz *w);
void session_free(struct wiz *w);
bool session_busy(const struct wiz *w);
size_t session_in_flight(const struct wiz *w);
uint64_t session_queries(const struct wiz *w);
const struct check_result *session_check(const struct wiz *w); /* result or partial */
const struct trace_result *session_trace(const struct wiz *w);
/* True while the run's trace still asks servers. */
bool session_tracing(const struct wiz *w);
enum verdict session_verdict(const struct wiz *w); /* check and trace together */
void session_watch(struct wiz *w, bool on);
void wiz_message(struct wiz *w, enum doc_tone tone, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* steps.c: what each step is, its state, and which findings belong to it. */
/* Short, for the step list; and the pane heading (AAAA for IPv6). */
const char *step_name(const struct wiz *w, enum wiz_step s);
const char *step_title(const struct wiz *w, enum wiz_step s);
enum step_state step_state(const struct wiz *w, enum wiz_step s);
bool step_has_findings(const struct wiz *w, enum wiz_step s); /* of the last result */
enum wiz_step finding_step(const struct finding *f);          /* the engine's guide step */
/* Who has to act on a finding, in plain words (the engine's actor). */
void finding_who(const struct wiz *w, const struct finding *f, char *buf, size_t len);
/* The closing "About this step" text and the hint for Enter. */
void doc_about(struct doc *d, const char *about, bool show_next, const char *next);
/* Adds the findings of one step (check and trace) with fix and who. */
void doc_findings(struct doc *d, const struct wiz *w, enum wiz_step s);
/* One line when the trace hit a fault of this machine (firewall, no sockets). */
void doc_local_error(struct doc *d, const struct wiz *w);
/* The warnings and errors of steps 2 to 4: what is left to fix. */
void doc_findings_to_fix(struct doc *d, const struct wiz *w);
enum doc_tone severity_tone(enum severity sev);
/* A PTR answer step 3 can follow: data, and not bogus. */
bool ptr_usable(const struct resolver_answer *p);
/* "Asking...", "Cancelled", an error; false (nothing added) when there is
 * an answer to show. */
bool doc_run_status(struct doc *d, const struct wiz *w, bool have_answer);
void doc_step_verdict(struct doc *d, const struct wiz *w, enum wiz_step s, const char *pass,
                      const char *warn, const char *fail);
const char *outcome_words(enum trace_outcome o);
enum doc_tone outcome_tone(enum trace_outcome o);
void duration_words(uint32_t s, char *buf, size_t len);

/* Each step's content (step1.c ... step5.c), the breakdown, the help. */
void step_doc(const struct wiz *w, enum wiz_step s, struct doc *d);
void step_body(const struct wiz *w, enum wiz_step s, struct doc *d); /* without the title */
void step1_doc(const struct wiz *w, struct doc *d);
void step1_analysis(const struct wiz *w, struct doc *d); /* below the text box */
void step2_doc(const struct wiz *w, struct doc *d);
void step3_doc(const struct wiz *w, struct doc *d);
void receivers_doc(struct doc *d, const struct wiz *w); /* beside step 3's verdict */
void step4_doc(const struct wiz *w, struct doc *d);
void step5_doc(const struct wiz *w, struct doc *d);
void breakdown_doc(const struct wiz *w, struct doc *d);
void help_doc(const struct wiz *w, struct doc *d);
/* search.c: `/`, its query keys, n; true when it took the key. */
bool search_key(struct wiz *w, const struct key *k);
/* The query to show marked in pane p (the one searched), or NULL. */
const char *search_mark(const struct wiz *w, const struct pane *p);

/* pane_trace.c: turns trace events into dig-style lines. */
void trace_lines_event(struct wiz *w, const struct trace_event *ev);
void trace_lines_done(struct wiz *w, const struct trace_result *res);
void trace_lines_clear(struct wiz *w);

/* Panes: a small vtable each (pane_*.c). */
struct pane_ops {
        const char *name;
        void (*title)(const struct wiz *w, char *buf, size_t len);
        void (*draw)(struct wiz *w, struct pane *p, struct rect inner);
        /* Pane-specific keys; false lets the common handling act. */
        bool (*key)(struct wiz *w, struct pane *p, enum action a);
};

extern const struct pane_ops pane_steps_ops, pane_main_ops, pane_trace_ops, pane_breakdown_ops,
    pane_help_ops;
const struct pane_ops *pane_ops_of(enum pane_id id);

/* Scrolling shared by every text pane; true when a has been handled. */
bool pane_scroll(struct pane *p, enum action a);
/* Draws a doc with the pane's scroll position. */
void pane_doc_draw(struct wiz *w, struct pane *p, struct rect inner, const struct doc *d);

/* layout.c: geometry from the terminal size, in one place. */
#define WIZ_MIN_LINES 20
#define WIZ_MIN_COLS  70

struct layout {
        bool too_small;
        struct rect title, status, summary, help;
        struct rect pane[PANE__COUNT];
        bool shown[PANE__COUNT];
};

/* no_detail: nothing to trace or break down yet (no IP): the step pane
 * takes the detail pane's rows. */
void layout_compute(struct layout *l, int lines, int cols, enum pane_id detail, bool zoom,
                    enum pane_id focus, bool no_detail);

/* screen.c */
void screen_draw(struct wiz *w);

/* wizard.c */
void wiz_goto(struct wiz *w, enum wiz_step s);
void wiz_pick_ip(struct wiz *w, const struct addr *ip);

/* options.c */
struct wiz_args {
        struct ui_opts ui;
        const char *bounce; /* --bounce FILE or "-" */
        const char *ip;     /* the IP argument */
        const char *lab;    /* --lab NAME */
        bool this_machine;  /* --this-machine */
        bool help;          /* --help was printed */
};

/* Returns EXIT_PASS to go on, else the exit status after a one-line error. */
int options_parse(struct wiz *w, int argc, char **argv, struct wiz_args *a);
int options_read_bounce(struct wiz *w, const char *path);

/* tour.c: --lab NAME sets the IP and options (list prints the names). */
int tour_setup(struct wiz *w, struct wiz_args *a);
void tour_doc(struct doc *d, const struct wiz *w); /* at the top of step 2 */

/* helpdesk.c: the message for whoever must act. */
const struct ticket *helpdesk_ticket(struct wiz *w);
enum wiz_step helpdesk_step(const struct wiz *w);
void helpdesk_doc(struct doc *d, const struct wiz *w, enum wiz_step s);
void helpdesk_copy(struct wiz *w);
void helpdesk_free(struct wiz *w);

/* True while export.c builds the report: the steps leave out what the
 * report says once in its summary (the findings) and what is only for
 * the screen. */
extern bool doc_for_report;

/* export.c */
int export_write(const struct wiz *w, const char *path, char *err, size_t errlen);
void export_stream(const struct wiz *w, FILE *out); /* the same report to out */
void export_doc(FILE *out, const struct doc *d);

#endif
