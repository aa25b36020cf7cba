/* tour: `ptrwiz --lab SCENARIO`, the bundled lab's scenarios by name with a
 * short word on what is broken in each, for a class to walk one failure
 * after another. It only ever asks the lab: the root hints must name
 * loopback servers (the lab's private root) and the address must be in the
 * lab's ranges. scripts/lab-demo.sh (`quickstart.sh tour`) walks them all. */
#include "wizard/wiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrwiz/conffile.h"

/* The addresses and faults are tests/lab/scenarios*.tsv's. */
static const struct tour_scenario scenarios[] = {
    {"pass", "198.18.1.10", NULL,
     "Nothing is broken: the PTR names mail.example.com, whose A record is the IP again. "
     "Start here to see what a good answer looks like."},
    {"no-ptr", "198.18.1.11", NULL,
     "The reverse zone has no record at all for this address (NXDOMAIN): a receiver finds no "
     "name for the IP."},
    {"nodata", "198.18.1.12", NULL,
     "The reverse name exists (it holds a TXT record) but has no PTR: the answer is empty."},
    {"mismatch", "198.18.1.13", NULL,
     "The PTR names mismatch.example.com, but that name's A record is 198.18.1.99: the name "
     "does not lead back to the IP (step 3)."},
    {"no-address", "198.18.1.14", NULL,
     "The PTR names noaddr.example.com, a name that does not exist: nothing leads back."},
    {"generic", "198.18.1.15", NULL,
     "The PTR is a provider's default name with the address in it (198-18-1-15.dyn...): many "
     "receivers treat such names as home lines."},
    {"multiple", "198.18.1.16", NULL,
     "Two PTR records: receivers take one of them, so checks that need one name are not "
     "reliable."},
    {"final-dot", "198.18.1.19", NULL,
     "The PTR was written without its final dot in the zone file, so the zone's name was "
     "appended: mail.example.com.1.18.198.in-addr.arpa."},
    {"classless", "198.18.2.70", NULL,
     "Nothing is broken, but the block is smaller than a /24 (RFC 2317): the /24's zone holds "
     "a CNAME into the customer's zone 64/26. See the breakdown pane."},
    {"refused", "198.18.3.1", NULL,
     "Every server of the reverse zone refuses the question: resolvers give up (SERVFAIL)."},
    {"blackhole", "198.18.4.1", NULL,
     "Every server of the reverse zone is silent: each question times out (this one is slow "
     "on purpose)."},
    {"bogus", "198.18.5.1", NULL,
     "DNSSEC: the parent's DS record matches no key of the zone, so validating resolvers "
     "reject the answer."},
    {"lame", "198.18.6.1", NULL,
     "One of the zone's servers (ns1.oldhost) refuses it: a lame delegation left over from an "
     "old host. The other one answers. See step 4."},
    {"unreachable", "198.18.7.1", NULL,
     "One of the zone's servers never answers; the other one does. Receivers that ask the "
     "dead one wait or fail. See step 4."},
    {"disagree", "198.18.8.1", NULL,
     "The two servers of the zone disagree: different serials and different PTRs (one was not "
     "updated). See step 4."},
    {"ns-mismatch", "198.18.9.1", NULL,
     "The parent's NS set and the zone's own NS set differ (ns2 against ns3); all answer, so "
     "it is a warning."},
    {"elsewhere", "198.18.10.1", "ns1.dnsprovider.example.org",
     "The PTR was created at a DNS provider, but the reverse zone is delegated to the ISP, "
     "who has no such record: nobody asks the provider."},
    {"cname-loop", "198.18.11.70", NULL,
     "A broken RFC 2317 set-up: the CNAME leads into the /26 zone, which points back to the "
     "first name, a loop."},
    {"ns-loop", "198.18.12.1", NULL,
     "The zone's server refers upward to its parent, which refers back: a delegation loop."},
    {"ipv6", "3fff:0:0:1::10", NULL,
     "Nothing is broken: an IPv6 address, its 32 nibbles as labels, the /64 as its zone."},
    {"ipv6-no-ptr", "3fff:0:0:1::11", NULL, "An IPv6 address with no PTR in its /64 zone."},
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void tour_list(FILE *out)
{
        fputs("Lab scenarios (ptrwiz --lab NAME; scripts/quickstart.sh tour walks them all):\n",
              out);
        for (size_t i = 0; i < NSCENARIOS; i++)
                fprintf(out, "%s\t%s\t%s\n", scenarios[i].name, scenarios[i].ip, scenarios[i].what);
}

static bool in_lab(const struct addr *a)
{
        const uint8_t *x = a->bytes;
        if (a->family == AF_INET)
                return x[0] == 198 && (x[1] & 0xfe) == 18;         /* 198.18.0.0/15 */
        return x[0] == 0x3f && x[1] == 0xff && (x[2] & 0xf0) == 0; /* 3fff::/20 */
}

static bool loopback(const char *text)
{
        return strncmp(text, "127.", 4) == 0 || strcmp(text, "::1") == 0;
}

/* The lab's root: hints that name only loopback servers. */
static int lab_hints(const char *path)
{
        struct conffile_hints h = {0};
        char err[300];
        if (!path) {
                cli_error("--lab needs the lab: run it with 'bash scripts/quickstart.sh --lab "
                          "NAME' (or inside tests/lab/in-lab.sh)");
                return -1;
        }
        if (conffile_root_hints(path, &h, err, sizeof(err)) < 0) {
                cli_error("--lab: %s", err);
                return -1;
        }
        int rc = 0;
        for (size_t i = 0; i < h.naddrs; i++)
                if (!loopback(h.addrs[i].addr))
                        rc = -1;
        conffile_hints_clear(&h);
        if (rc < 0)
                cli_error("--lab: the root hints name servers outside this machine; the lab's "
                          "root is on loopback (127.53.x.x)");
        return rc;
}

int tour_setup(struct wiz *w, struct wiz_args *a)
{
        if (strcmp(a->lab, "list") == 0) {
                tour_list(stdout);
                a->help = true; /* printed: nothing to run */
                return EXIT_PASS;
        }
        const struct tour_scenario *s = NULL;
        for (size_t i = 0; i < NSCENARIOS && !s; i++)
                if (strcmp(scenarios[i].name, a->lab) == 0)
                        s = &scenarios[i];
        if (!s) {
                cli_error("--lab: no scenario of that name; 'ptrwiz --lab list' names them");
                return EXIT_USAGE;
        }
        if (a->ip) {
                cli_error("--lab chooses the address: give no IP with it");
                return EXIT_USAGE;
        }
        struct resolver_opts *r = &w->common.resolver;
        if (!r->root_hints && getenv("LAB_ROOT_HINTS")) {
                r->root_hints = getenv("LAB_ROOT_HINTS");
                if (!r->trust_anchor)
                        r->trust_anchor = getenv("LAB_TRUST_ANCHOR");
        }
        if (r->resolver && strcmp(r->resolver, "recursive") != 0) {
                cli_error("--lab asks the lab's own servers from its root: no --resolver");
                return EXIT_USAGE;
        }
        if (lab_hints(r->root_hints) < 0)
                return EXIT_USAGE;
        if (s->expect_ns && w->common.nexpect_ns == 0 &&
            cli_common_option(&w->common, OPT_EXPECT_NS, s->expect_ns) < 0)
                return EXIT_USAGE;
        struct addr ip;
        char err[128];
        if (addr_parse(s->ip, &ip, err, sizeof(err)) < 0 || !in_lab(&ip))
                return EXIT_USAGE; /* the table above is the lab's */
        a->ip = s->ip;
        w->tour = s;
        return EXIT_PASS;
}

void tour_doc(struct doc *d, const struct wiz *w)
{
        if (!w->tour)
                return;
        doc_add(d, DOC_HEADING, TONE_NONE, NULL, "Lab scenario \"%s\" (%s)", w->tour->name,
                w->tour->ip);
        doc_text(d, "%s", w->tour->what);
        if (w->tour->expect_ns)
                doc_add(d, DOC_DIM, TONE_NONE, NULL,
                        "As if the user said the PTR is at %s "
                        "(--expect-ns).",
                        w->tour->expect_ns);
        doc_blank(d);
}
