/* check_evaluate: findings and verdict from the answers of one check. Each
 * finding says what is wrong and who must act: the PTR lives in the reverse
 * zone of whoever holds the IP block; the A/AAAA in the name's own zone. */
#include "check_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"
#include "ptrwiz/dnsbl.h"
#include "ptrwiz/escape.h"
#include "ptrwiz/finaldot.h"
#include "ptrwiz/generic.h"
#include "ptrwiz/hostname.h"
#include "strv.h"

/* "3600 seconds (1 hour)" style, for what a user waits for. */
static void duration_text(uint32_t s, char *buf, size_t len)
{
        if (s < 120)
                snprintf(buf, len, "%u seconds", s);
        else if (s < 3600)
                snprintf(buf, len, "%u seconds (%u minutes)", s, (s + 30) / 60);
        else if (s < 172800 && s % 3600 == 0)
                snprintf(buf, len, "%u seconds (%u hour%s)", s, s / 3600, s == 3600 ? "" : "s");
        else if (s < 172800)
                snprintf(buf, len, "%u seconds (%.1f hours)", s, s / 3600.0);
        else
                snprintf(buf, len, "%u seconds (%.1f days)", s, s / 86400.0);
}

static const char *zone_or_guess(const struct check_result *res)
{
        if (res->zone)
                return res->zone;
        return res->names.cuts[res->names.conventional].zone;
}

/* Who runs the reverse zone: its SOA primary when the answer carried one. */
static void zone_operator(const struct check_result *res, char *buf, size_t len)
{
        const char *soa = res->ptr ? res->ptr->soa_text : NULL;
        char mname[300] = "";
        if (soa) {
                /* owner ttl IN SOA mname rname ...: the 5th field */
                const char *p = soa;
                for (int field = 0; field < 4 && p; field++) {
                        p = strpbrk(p, " \t");
                        if (p)
                                p += strspn(p, " \t");
                }
                if (p)
                        snprintf(mname, sizeof(mname), "%.*s", (int)strcspn(p, " \t"), p);
        }
        if (mname[0])
                snprintf(buf, len, "whoever runs the reverse zone %s (primary server %s)",
                         zone_or_guess(res), mname);
        else
                snprintf(buf, len, "whoever runs the reverse zone %s", zone_or_guess(res));
}

static void add_negative_cache(struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        if (!p->soa_owner)
                return;
        char dur[64];
        duration_text(p->neg_ttl, dur, sizeof(dur));
        findings_add(&res->findings, FINDING_NEGATIVE_CACHE,
                     "Nothing to fix here: after the record is added, re-test with a fresh "
                     "resolver (ptrwiz asks from the root) and expect the receiver's resolver "
                     "to need up to this long.",
                     "resolvers that saw this %s may keep serving it for up to %s after the fix "
                     "(min of SOA TTL %u and SOA MINIMUM %u of %s)",
                     p->status == RES_NXDOMAIN ? "NXDOMAIN" : "NODATA answer", dur, p->soa_ttl,
                     p->soa_minimum, p->soa_owner);
}

static void eval_not_public(struct check_result *res, const char *range)
{
        char extra[200] = "";
        if (addr_has_builtin_reverse_zone(&res->ip))
                snprintf(extra, sizeof(extra),
                         "; its reverse zone is answered locally by every unbound/libunbound "
                         "resolver (a built-in local zone), so no public DNS is asked");
        findings_add(&res->findings, FINDING_IP_NOT_PUBLIC,
                     "Check the public address the receiver saw instead: it is in the bounce "
                     "text or in the topmost Received header the receiving server added (paste "
                     "the bounce in step 1 of the wizard, or run 'ptrwiz bounce' on it), or ask "
                     "your provider for the outbound NAT address; then check that address.",
                     "%s is a %s address: no mail receiver on the Internet sees it as a sender%s",
                     res->ip_text, range, extra);
}

static void eval_failed_lookup(struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        char who[400];
        zone_operator(res, who, sizeof(who));
        if (p->dnssec == DNSSEC_BOGUS) {
                findings_add(&res->findings, FINDING_DNSSEC_BOGUS,
                             "The reverse zone's DNSSEC chain is broken (expired signatures, or a "
                             "DS in the parent that matches no key). Whoever signs the zone must "
                             "re-sign it or fix the DS at the parent (the IP block holder).",
                             "validation of %s failed: %s", res->names.owner,
                             p->why_bogus ? p->why_bogus : "bogus");
                return;
        }
        if (res->offline) {
                findings_add(&res->findings,
                             p->status == RES_TIMEOUT ? FINDING_RESOLUTION_TIMEOUT
                                                      : FINDING_RESOLUTION_SERVFAIL,
                             "Run ptrwiz on a machine that can reach the Internet's DNS, or "
                             "point it at a resolver it can reach (--resolver system or "
                             "--resolver ADDR).",
                             "this machine has no route to the root name servers (offline?), "
                             "so %s could not be looked up: this says nothing about its zone",
                             res->names.owner);
                return;
        }
        const struct trace_zone *dead = check_dead_zone(res);
        char why[300];
        if (dead)
                snprintf(why, sizeof(why), ": no server of %s answers (the trace asked all %zu)",
                         dead->zone, dead->nservers);
        else
                snprintf(why, sizeof(why), " within %lld ms", (long long)p->rtt_ms);
        if (!dead && p->status == RES_TIMEOUT) {
                /* Our deadline, and no zone seen dead: blame only what the trace saw fail. */
                check_eval_timeout(res,
                                   "The servers of the reverse zone do not answer. Trace the "
                                   "delegation (step 4 of the wizard, or 'ptrwiz trace IP') to see "
                                   "which; the IP block holder must fix or re-delegate them.");
                return;
        }
        switch (dead ? RES_TIMEOUT : p->status) {
        case RES_TIMEOUT:
                findings_add(&res->findings, FINDING_RESOLUTION_TIMEOUT,
                             "The servers of the reverse zone do not answer. Trace the delegation "
                             "(step 4 of the wizard, or 'ptrwiz trace IP') to see which; the IP "
                             "block holder must fix or re-delegate them.",
                             "no answer for %s%s%s%s", res->names.owner, why,
                             !dead && p->error ? ": " : "", !dead && p->error ? p->error : "");
                break;
        case RES_ERROR:
                findings_add(&res->findings, FINDING_RESOLUTION_SERVFAIL,
                             "Check this machine's DNS setup (--resolver, --root-hints).",
                             "the lookup of %s failed locally: %s", res->names.owner,
                             p->error ? p->error : "unknown error");
                break;
        default: {
                /* What else is known decides the fix. */
                const char *fix, *seen;
                if (!res->trace) {
                        /* No trace (--quick, --resolver): a zone whose servers fail and
                         * a firewall here that keeps libunbound from asking them both
                         * read SERVFAIL; nobody is blamed before the trace says which. */
                        fix = "Trace the delegation ('ptrwiz trace IP', or check without --quick): "
                              "it names the server that fails, or says that this machine kept "
                              "ptrwiz from asking (a firewall). A broken zone is then the IP block "
                              "holder's to fix.";
                        seen = "; without the trace this cannot tell a broken reverse zone from a "
                               "firewall on this machine";
                } else if (res->forwarded && check_should_ask_again(res)) {
                        /* The forwarder's answer, from its cache or its own
                         * recursion: the zone answered ptrwiz's own queries. */
                        fix = "Check again without --resolver (ptrwiz then asks from the root "
                              "itself). If that passes, the resolver ptrwiz was told to use is "
                              "at fault, not the zone: it may keep a failure cached for a while, "
                              "or, validating, meet servers that drop queries with the DNSSEC OK "
                              "bit; its operator must look.";
                        seen = " at the resolver used (--resolver), though the trace got the "
                               "zone's answer from its servers: the failure is that resolver's";
                } else if (res->ptr_asked_again) {
                        /* Twice, the second time with empty caches, while the
                         * trace's plain queries got the answer. */
                        fix = "Resolvers fail on the reverse zone though its servers answer plain "
                              "queries: the IP block holder (ISP or hosting provider) must test "
                              "them as a validating resolver asks ('dig +dnssec +bufsize=1232' at "
                              "each server). Servers, or a firewall in front of them, that drop or "
                              "fail queries with the DNSSEC OK bit or large EDNS replies are the "
                              "usual cause.";
                        seen = ", and again from a fresh resolver, though the trace got the zone's "
                               "answer from its servers (its queries ask without the DNSSEC OK "
                               "bit)";
                } else {
                        fix = "The reverse zone is broken: its servers refuse, are lame or "
                              "unreachable. Trace the delegation (step 4 of the wizard, or "
                              "'ptrwiz trace IP') to see which server fails; the IP block holder "
                              "(ISP or hosting provider) must fix the delegation.";
                        seen = "";
                }
                findings_add(&res->findings, FINDING_RESOLUTION_SERVFAIL, fix,
                             "the lookup of %s failed (rcode %s)%s", res->names.owner,
                             resolver_rcode_name(p->rcode), seen);
                break;
        }
        }
}

/* The servers the trace found delegated for zone, "a., b." (NULL: none). */
static char *zone_servers(const struct check_result *res, const char *zone)
{
        const struct trace_result *t = res->trace;
        for (size_t i = 0; t && zone && i < t->nzones; i++)
                if (strcasecmp(t->zones[i].zone, zone) == 0 && t->zones[i].nparent_ns)
                        return strv_join(t->zones[i].parent_ns, t->zones[i].nparent_ns, ", ");
        return NULL;
}

/* RFC 2317: the /24's CNAME is there, its target in the classless zone is
 * not. The record to add is the target, in the target's zone, whose
 * operator the IP block holder delegated it to: usually the customer. */
static void eval_negative_cname(struct check_result *res, const char *target)
{
        const struct resolver_answer *p = res->ptr;
        const char *missing = p->cname_to[p->ncname - 1];
        const char *zone = zone_or_guess(res);
        bool nx = p->status == RES_NXDOMAIN;
        char who[400], fix[1600], label[REVNAME_MAX], in_file[300] = "", servers[700] = "";
        zone_operator(res, who, sizeof(who));
        revname_label_in_zone(missing, zone, label, sizeof(label));
        if (label[0])
                snprintf(in_file, sizeof(in_file), " (in that zone's file: %s IN PTR %s)", label,
                         target);
        char *ns = zone_servers(res, zone);
        if (ns)
                snprintf(servers, sizeof(servers), ", which is served by %s,", ns);
        free(ns);
        /* Usually the customer's; on the /24's own servers, the block holder's. */
        bool own = trace_same_servers(res->trace, zone, res->cname_zone);
        snprintf(fix, sizeof(fix),
                 "Ask %s%s to add: %s IN PTR %s%s. %s; the CNAME %s in %s is already right.", who,
                 servers, missing, target, in_file,
                 own ? "That zone (RFC 2317) is on the same servers as the /24's, so the IP "
                       "block holder runs it"
                     : "The holder of the IP block delegated that zone (RFC 2317) to whoever "
                       "uses this part of the block, usually you or your DNS provider rather "
                       "than the ISP",
                 p->cname_from[0], res->cname_zone ? res->cname_zone : "the /24's zone");
        findings_add(&res->findings, nx ? FINDING_PTR_MISSING : FINDING_PTR_NODATA, fix,
                     "%s is a CNAME to %s, which %s (%s in zone %s)", p->cname_from[0], missing,
                     nx ? "does not exist" : "has no PTR record", nx ? "NXDOMAIN" : "NODATA", zone);
        findings_add(&res->findings, FINDING_PTR_CNAME_CLASSLESS,
                     "Nothing to fix in the /24's zone: this is RFC 2317 classless delegation, "
                     "and the PTR belongs in the zone the CNAME points to.",
                     "%s is a CNAME to %s (zone %s)", p->cname_from[0], missing, zone);
}

/* The first --expect-ns server, as the trace asked it. */
static const char *expected_ns(const struct check_result *res)
{
        const struct trace_zone *p = res->trace ? res->trace->probe : NULL;
        for (size_t i = 0; p && i < p->nservers; i++)
                if (p->servers[i].outcome != TRACE_NO_ADDRESS) /* not a mistyped name */
                        return p->servers[i].ns_name;
        return "the servers you named";
}

static void eval_negative(struct check_result *res, const struct check_opts *opts)
{
        const struct resolver_answer *p = res->ptr;
        char who[400], fix[900];
        const char *target = opts->expect_host ? opts->expect_host : "mail.your-domain.example.";
        if (p->ncname) {
                eval_negative_cname(res, target);
                add_negative_cache(res);
                return;
        }
        zone_operator(res, who, sizeof(who));
        if (findings_has(&res->findings, FINDING_ZONE_NOT_DELEGATED_TO_EXPECTED_NS))
                /* One fault: the record is where resolvers do not look. */
                snprintf(fix, sizeof(fix),
                         "The same fault as ZONE_NOT_DELEGATED_TO_EXPECTED_NS: the PTR created at "
                         "%s is not where resolvers look. Either the IP block holder delegates "
                         "%s there, or %s adds: %s IN PTR %s",
                         expected_ns(res), zone_or_guess(res), who, res->names.owner, target);
        else
                snprintf(fix, sizeof(fix),
                         "Ask %s, usually the ISP or hosting provider that holds the IP block "
                         "(often a 'reverse DNS' field in its control panel), to add: %s IN PTR "
                         "%s",
                         who, res->names.owner, target);
        if (p->status == RES_NXDOMAIN)
                findings_add(&res->findings, FINDING_PTR_MISSING, fix,
                             "%s does not exist (NXDOMAIN in zone %s)", res->names.owner,
                             zone_or_guess(res));
        else
                findings_add(&res->findings, FINDING_PTR_NODATA, fix,
                             "%s exists but has no PTR record (NODATA in zone %s)",
                             res->names.owner, zone_or_guess(res));
        add_negative_cache(res);
}

/* A PTR name that ends with its own zone: the record's final dot is missing.
 * It is fixed where the PTR was written: the CNAME's target zone (RFC 2317)
 * or the reverse zone. */
static bool eval_final_dot(struct check_result *res, const char *name)
{
        const struct resolver_answer *p = res->ptr;
        const char *owner = p->ncname ? p->cname_to[p->ncname - 1] : res->names.owner;
        struct finaldot_verdict v;
        char who[400];

        if (!finaldot_check(name, res->zone, &v))
                return false;
        zone_operator(res, who, sizeof(who));
        finaldot_add_finding(&res->findings, name, &v, owner, who);
        return true;
}

static bool answer_has_addr(const struct resolver_answer *a, const struct addr *ip)
{
        if (!a || a->status != RES_OK)
                return false;
        for (size_t i = 0; i < a->ndata; i++)
                if (addr_equal_text(ip, a->data[i]))
                        return true;
        return false;
}

static size_t answer_count(const struct resolver_answer *a)
{
        return a && a->status == RES_OK ? a->ndata : 0;
}

static void eval_names(struct check_result *res, const struct check_opts *opts)
{
        const struct resolver_answer *p = res->ptr;
        char size[200];
        check_ptr_size_note(res, size, sizeof(size));
        if (p->ndata > 1)
                findings_add(&res->findings, FINDING_PTR_MULTIPLE,
                             "Keep exactly one PTR: the host name your mail server uses in "
                             "HELO/EHLO, with an A/AAAA back to this IP. Receivers pick one PTR "
                             "at random, so the others make checks fail now and then.",
                             "%s has %zu PTR records%s", res->names.owner, p->ndata, size);
        if (p->ncname)
                findings_add(&res->findings, FINDING_PTR_CNAME_CLASSLESS,
                             "Nothing to fix: this is RFC 2317 classless delegation. Change the "
                             "PTR in the zone the CNAME points to, not in the /24 zone.",
                             "%s is a CNAME to %s (zone %s)", p->cname_from[0],
                             p->cname_to[p->ncname - 1], res->zone ? res->zone : "?");
        for (size_t i = 0; i < res->nforward; i++) {
                struct check_forward *f = &res->forward[i];
                struct hostname_verdict hv;
                hostname_check(f->name, &hv);
                if (hv.idn && hv.ulabel[0] && !f->ulabel)
                        f->ulabel = escape_dup(hv.ulabel, strlen(hv.ulabel), ESCAPE_KEEP_UTF8);
                f->valid = hv.valid;
                /* Before validity: an RFC 2317 zone's "/" would make it "invalid". */
                if (eval_final_dot(res, f->name))
                        continue; /* not generic, not "add an A record": the record is wrong */
                if (!hv.valid) {
                        findings_add(&res->findings, FINDING_PTR_INVALID_HOSTNAME,
                                     "Whoever runs the reverse zone must set the PTR to the "
                                     "mail server's real host name (letters, digits, hyphens).",
                                     "PTR name %s is not a valid host name: %s", f->name,
                                     hv.reason);
                        continue;
                }
                struct generic_verdict gv;
                generic_check(f->name, &res->ip, &gv);
                bool back = answer_has_addr(f->a, &res->ip) || answer_has_addr(f->aaaa, &res->ip);
                if (gv.generic && back)
                        findings_add(&res->findings, FINDING_PTR_GENERIC,
                                     "The PTR works where only a PTR that resolves back is "
                                     "required (Gmail's requirement), but Gmail's guidelines "
                                     "ask for a name in your own domain, and receivers that "
                                     "judge the name (T-Online, Mail.ru, servers running "
                                     "spamdyke or Haraka's fcrdns plugin) refuse or score "
                                     "default names as dial-up. Ask the IP block holder to set "
                                     "a PTR with your own host name (e.g. mail.your-domain) "
                                     "with a matching A/AAAA.",
                                     "%s looks like a provider's default name: %s (it "
                                     "resolves back to the IP, so the PTR itself works)",
                                     f->name, gv.reason);
                else if (gv.generic)
                        findings_add(&res->findings, FINDING_PTR_GENERIC,
                                     "Ask the IP block holder to set a PTR with your own host "
                                     "name (e.g. mail.your-domain) with a matching A/AAAA: that "
                                     "fixes this and the forward mismatch at once.",
                                     "%s looks like a provider's default name: %s", f->name,
                                     gv.reason);
                if (opts->expect_domain && !hostname_in_domain(f->name, opts->expect_domain))
                        findings_add(&res->findings, FINDING_HOSTNAME_DOMAIN_MISMATCH,
                                     "Use a PTR name under your sending domain (e.g. "
                                     "mail.your-domain) so receivers can tie the IP to it.",
                                     "%s is not in or under %s", f->name, opts->expect_domain);
                if (opts->expect_host && strcasecmp(f->name, opts->expect_host) != 0)
                        findings_add(&res->findings, FINDING_HOSTNAME_DOMAIN_MISMATCH,
                                     "Set the PTR to the name the mail server uses in HELO/EHLO, "
                                     "or the HELO name to the PTR.",
                                     "PTR is %s, expected %s", f->name, opts->expect_host);
        }
}

static bool answer_failed(const struct resolver_answer *a)
{
        return a &&
               (a->status == RES_SERVFAIL || a->status == RES_TIMEOUT || a->status == RES_ERROR);
}

/* The PTR name already has an address of the IP's family: one more record
 * would give it two, and whatever connects to the name (mail, web) would
 * reach either at random. So the record is changed, or this IP gets a name
 * of its own. */
static void mismatch_fix(const struct check_result *res, const struct check_forward *f, char *fix,
                         size_t len)
{
        bool v4 = res->ip.family == AF_INET;
        const struct resolver_answer *same = v4 ? f->a : f->aaaa;
        if (!answer_count(same))
                return; /* only the other family: adding the record is right */
        snprintf(fix, len,
                 "%s already has %s %s%s, so adding one for %s would give it two addresses "
                 "and send whatever connects to the name (mail, web) to either at random. If "
                 "the name belongs to this server (%s is old), change that record to %s in "
                 "the zone of %s (your DNS provider); if %s is another host, keep it and ask "
                 "the IP block holder to set the PTR of %s to a new name for this server (e.g. "
                 "mail2.your-domain) with %s record to %s.",
                 f->name, v4 ? "the A record" : "the AAAA record", same->data[0],
                 answer_count(same) > 1 ? " (and more)" : "", res->ip_text, same->data[0],
                 res->ip_text, f->name, same->data[0], res->ip_text, v4 ? "an A" : "an AAAA",
                 res->ip_text);
}

static void eval_forward(struct check_result *res)
{
        res->fcrdns = false;
        for (size_t i = 0; i < res->nforward; i++) {
                struct check_forward *f = &res->forward[i];
                f->matches = answer_has_addr(f->a, &res->ip) || answer_has_addr(f->aaaa, &res->ip);
                res->fcrdns = res->fcrdns || f->matches;
        }
        /* One confirmed name is what receivers require; report the others
         * only when none confirms. */
        if (res->fcrdns)
                return;
        for (size_t i = 0; i < res->nforward; i++) {
                const struct check_forward *f = &res->forward[i];
                struct finaldot_verdict dot;
                if (!f->valid || finaldot_check(f->name, res->zone, &dot))
                        continue; /* PTR_INVALID_HOSTNAME or PTR_MISSING_FINAL_DOT says it all */
                size_t naddr = answer_count(f->a) + answer_count(f->aaaa);
                char fix[700];
                snprintf(fix, sizeof(fix),
                         "In the DNS zone of %s (your DNS provider), add %s IN %s %s; or ask the "
                         "IP block holder to point the PTR at a name that already resolves to "
                         "%s.",
                         f->name, f->name, res->ip.family == AF_INET ? "A" : "AAAA", res->ip_text,
                         res->ip_text);
                if (naddr > 0) {
                        const struct resolver_answer *a = answer_count(f->a) ? f->a : f->aaaa;
                        mismatch_fix(res, f, fix, sizeof(fix));
                        findings_add(&res->findings, FINDING_FCRDNS_MISMATCH, fix,
                                     "%s resolves to %s%s, not to %s", f->name, a->data[0],
                                     naddr > 1 ? " and others" : "", res->ip_text);
                } else if ((f->a && f->a->status == RES_TIMEOUT) ||
                           (f->aaaa && f->aaaa->status == RES_TIMEOUT)) {
                        check_eval_forward_timeout(res, f->name); /* our deadline */
                } else if (answer_failed(f->a) || answer_failed(f->aaaa)) {
                        const struct resolver_answer *a = answer_failed(f->a) ? f->a : f->aaaa;
                        findings_add(&res->findings,
                                     a->status == RES_TIMEOUT ? FINDING_RESOLUTION_TIMEOUT
                                                              : FINDING_RESOLUTION_SERVFAIL,
                                     "The DNS servers of the PTR name's domain fail; its DNS "
                                     "provider must fix them.",
                                     "forward lookup of %s failed (%s)", f->name,
                                     resolver_status_name(a->status));
                } else {
                        findings_add(&res->findings, FINDING_FCRDNS_NO_ADDRESS, fix,
                                     "%s has no A or AAAA record (%s)", f->name,
                                     f->a ? resolver_status_name(f->a->status) : "not asked");
                }
        }
}

/* The delegation trace's findings (DELEGATION_*, loops, limits) join the
 * check's as they are: they already name the server and who must act. */
static void eval_trace(struct check_result *res)
{
        const struct findings *tf = res->trace ? &res->trace->findings : NULL;
        for (size_t i = 0; tf && i < tf->n; i++)
                findings_add(&res->findings, tf->v[i].code, tf->v[i].fix, "%s", tf->v[i].message);
}

/* The first trace finding that explains why no server gave the lookup an
 * answer (a loop, lame or dead servers), or -1. Only when the trace itself
 * got no usable answer: a slow but working zone is the lookup's own case. */
static long trace_explains_failure(const struct check_result *res)
{
        const struct trace_result *t = res->trace;
        if (!t || trace_outcome_good(t->final_outcome))
                return -1;
        for (size_t i = 0; i < res->findings.n; i++)
                switch (res->findings.v[i].code) {
                case FINDING_CNAME_LOOP:
                case FINDING_DELEGATION_LOOP:
                case FINDING_DELEGATION_LAME:
                case FINDING_DELEGATION_UNREACHABLE:
                        return (long)i;
                default:
                        break;
                }
        return -1;
}

bool check_should_ask_again(const struct check_result *res)
{
        const struct resolver_answer *p = res->ptr;
        const struct trace_result *t = res->trace;
        if (!p || p->status != RES_SERVFAIL || p->dnssec == DNSSEC_BOGUS || res->offline || !t ||
            check_local_fault(res))
                return false;
        if (t->final_outcome != TRACE_ANSWER && t->final_outcome != TRACE_NODATA &&
            t->final_outcome != TRACE_NXDOMAIN)
                return false;
        for (size_t i = 0; i < t->findings.n; i++)
                if (t->findings.v[i].severity == SEV_ERROR)
                        return false; /* a fault on the way explains the failure */
        return true;
}

/* Adds evidence to a finding's message ("; ..."); unchanged when out of memory. */
static void finding_append(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void finding_append(struct finding *f, const char *fmt, ...)
{
        char *more = NULL, *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int rc = vasprintf(&more, fmt, ap);
        va_end(ap);
        if (rc < 0)
                return;
        if (asprintf(&msg, "%s; %s", f->message, more) >= 0) {
                free(f->message);
                f->message = msg;
        }
        free(more);
}

/* One fault, one finding: the lookup's failure joins the trace finding
 * that explains it as evidence, instead of a finding with a fix of its own. */
static void note_failed_lookup(struct check_result *res, size_t k)
{
        const struct resolver_answer *p = res->ptr;
        if (p->status == RES_TIMEOUT)
                finding_append(&res->findings.v[k],
                               "the resolver's lookup of %s got no answer within %lld ms",
                               res->names.owner, (long long)p->rtt_ms);
        else
                finding_append(&res->findings.v[k], "the resolver's lookup of %s failed too (%s)",
                               res->names.owner, resolver_rcode_name(p->rcode));
}

/* A negative answer reached only by following a looping delegation or CNAME
 * chain is the loop's doing: "add a PTR" would send the reader the wrong way. */
static bool negative_explained_by_loop(const struct check_result *res)
{
        const struct findings *tf = res->trace ? &res->trace->findings : NULL;
        return tf &&
               (findings_has(tf, FINDING_DELEGATION_LOOP) || findings_has(tf, FINDING_CNAME_LOOP));
}

/* The resolver's negative answer came through the loop: evidence of it,
 * not a record to add. */
static void note_loop_negative(struct check_result *res)
{
        for (size_t i = 0; i < res->findings.n; i++) {
                struct finding *f = &res->findings.v[i];
                if (f->code != FINDING_DELEGATION_LOOP && f->code != FINDING_CNAME_LOOP)
                        continue;
                finding_append(f,
                               "the resolver's lookup of %s answered %s, reached through the "
                               "loop: it says nothing about the PTR",
                               res->names.owner,
                               res->ptr->status == RES_NXDOMAIN ? "NXDOMAIN" : "NODATA");
                return;
        }
}

void check_evaluate(struct check_result *res, const struct check_opts *opts)
{
        findings_clear(&res->findings);
        const struct resolver_answer *p = res->ptr;
        const char *range = addr_special_range(&res->ip);
        if (range)
                eval_not_public(res, range);
        /* The delegation's faults first: they are the cause of what follows. */
        eval_trace(res);
        if (range && addr_has_builtin_reverse_zone(&res->ip)) {
                /* The local zone's NXDOMAIN says nothing about any real DNS. */
        } else if (!p) {
                findings_add(&res->findings, FINDING_RESOLUTION_SERVFAIL, "",
                             "the lookup of %s did not run", res->names.owner);
        } else if (check_local_fault(res)) {
                check_add_upstream_finding(res); /* this machine's fault, no zone's */
        } else if (p->dnssec != DNSSEC_BOGUS && !res->offline &&
                   (p->status == RES_SERVFAIL || p->status == RES_TIMEOUT) &&
                   trace_explains_failure(res) >= 0) {
                note_failed_lookup(res, (size_t)trace_explains_failure(res));
        } else if (p->dnssec == DNSSEC_BOGUS || p->status == RES_SERVFAIL ||
                   p->status == RES_TIMEOUT || p->status == RES_ERROR) {
                eval_failed_lookup(res);
        } else if (check_ptr_too_large(res)) {
                check_add_too_large_finding(res); /* not NODATA: the records are there */
        } else if (p->status == RES_NXDOMAIN || p->status == RES_NODATA) {
                if (!negative_explained_by_loop(res))
                        eval_negative(res, opts);
                else
                        note_loop_negative(res);
        } else {
                eval_names(res, opts);
                eval_forward(res);
        }
        dnsbl_evaluate(res, &res->findings);
        res->verdict = verdict_from_findings(&res->findings);
        check_assign_actors(res);
}
