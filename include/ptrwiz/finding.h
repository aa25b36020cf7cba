/* finding: what a check found, with a stable code, a severity, who acts, the
 * guide step, a one-line message and a fix. FINDING_CODES is the one table. */
#ifndef PTRWIZ_FINDING_H
#define PTRWIZ_FINDING_H

#include <stdarg.h>
#include <stddef.h>

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

/* Who must act on a finding. X(id, name in JSON, short form, long form; a
 * %s in the long form is the reverse zone, filled by check_actor_text()). */
#define FINDING_ACTORS(X)                                                                          \
        X(BLOCK_HOLDER, "block_holder", "IP block holder",                                         \
          "The holder of the IP block, your ISP or hosting provider (it runs the reverse zone "    \
          "%s)")                                                                                   \
        X(CLASSLESS_ZONE, "classless_zone_operator", "classless zone operator",                    \
          "Whoever runs the classless reverse zone %s: the IP block holder delegated it by "       \
          "CNAME (RFC 2317), often to you or your DNS provider")                                   \
        X(DNS_PROVIDER, "dns_provider", "DNS provider",                                            \
          "Whoever runs DNS for the PTR name's domain: your DNS provider, or you.")                \
        X(NAMING, "you_and_block_holder", "you and IP holder",                                     \
          "You choose the name; the holder of the IP block (ISP or hosting provider) sets the "    \
          "PTR.")                                                                                  \
        X(YOU, "you", "you", "You: find the public address the receiver saw.")                     \
        X(THIS_HOST, "this_host", "you (this host)",                                               \
          "You: this machine's network or DNS setup kept ptrwiz from asking; nothing is known "    \
          "about the zone yet.")                                                                   \
        X(NOBODY, "nobody", "nobody", "Nobody: this is for your information.")                     \
        X(ZONE_OPERATOR, "zone_operator", "zone operator",                                         \
          "Whoever runs the named servers, or the parent zone that lists them: for a reverse "     \
          "zone that is the IP block holder (ISP, hosting provider) or the registry above it.")    \
        X(DELEGATOR, "delegator", "IP block holder",                                               \
          "The IP block holder: only it can delegate the zone %s to the servers where you "        \
          "created the PTR")                                                                       \
        X(RETRY, "retry", "nobody yet",                                                            \
          "Nobody yet: run the trace again; if it repeats, the zone's operator.")                  \
        X(SENDER, "sender", "you as sender",                                                       \
          "You, the sender: fix what got the address listed, then ask the list to remove it.")     \
        X(DNSBL_QUERIER, "dnsbl_querier", "you as list querier",                                   \
          "You: ask the list as its usage terms require (a resolver of your own, not a public "    \
          "one, or the list's query service).")                                                    \
        X(EXPECT_NS, "you_expect_ns", "you, check name",                                           \
          "You: the name given to --expect-ns does not exist; give the name server your DNS "      \
          "provider names.")                                                                       \
        X(MAIL_ADMIN, "mail_admin", "mail server admin",                                           \
          "You: the settings of this machine's mail server (Postfix's main.cf, Exim's "            \
          "configuration).")                                                                       \
        X(RESOLVER_OPERATOR, "resolver_operator", "your resolver's operator",                      \
          "Whoever runs the resolver ptrwiz was told to use (--resolver): you, or your "           \
          "network's DNS. The reverse zone answered ptrwiz's own queries.")

enum finding_actor {
#define FINDING_ACTOR_ENUM(id, json, brief, full) ACTOR_##id,
        FINDING_ACTORS(FINDING_ACTOR_ENUM)
#undef FINDING_ACTOR_ENUM
            ACTOR__COUNT
};

/* The steps of the guide every good admin follows (the wizard's five
 * steps): X(id, name in JSON). */
#define GUIDE_STEPS(X)                                                                             \
        X(IDENTIFY, "identify")                                                                    \
        X(PTR, "ptr") X(FORWARD, "forward") X(TRACE, "trace") X(RETEST, "retest")

enum guide_step {
#define GUIDE_STEP_ENUM(id, json) GUIDE_##id,
        GUIDE_STEPS(GUIDE_STEP_ENUM)
#undef GUIDE_STEP_ENUM
            GUIDE__COUNT
};

/* The one table of findings: X(code, severity, who acts, guide step,
 * one-line summary). Actor and step are ACTOR_ and GUIDE_ names without
 * their prefix; a new code is one row here (and its text in
 * help/findings.txt, the man page and README, which test_findings_table
 * checks against this table). Where the context changes who acts or the
 * step (a forward lookup's RESOLUTION_*), check_assign_actors() says so. */
#define FINDING_CODES(X)                                                                           \
        X(PTR_MISSING, SEV_ERROR, BLOCK_HOLDER, PTR,                                               \
          "no PTR record: the reverse name does not exist")                                        \
        X(PTR_NODATA, SEV_ERROR, BLOCK_HOLDER, PTR,                                                \
          "the reverse name exists but has no PTR record")                                         \
        X(PTR_MULTIPLE, SEV_WARNING, BLOCK_HOLDER, PTR, "more than one PTR record")                \
        X(PTR_GENERIC, SEV_WARNING, BLOCK_HOLDER, PTR,                                             \
          "the PTR name looks like a generic or dynamic name")                                     \
        X(PTR_INVALID_HOSTNAME, SEV_ERROR, BLOCK_HOLDER, PTR,                                      \
          "the PTR name is not a valid host name")                                                 \
        X(PTR_MISSING_FINAL_DOT, SEV_ERROR, BLOCK_HOLDER, PTR,                                     \
          "the PTR name ends with its zone: written without the final dot")                        \
        X(PTR_TOO_LARGE, SEV_ERROR, BLOCK_HOLDER, PTR,                                             \
          "the PTR records are more than a resolver can pass on (over 64 KB)")                     \
        X(PTR_CNAME_CLASSLESS, SEV_INFO, NOBODY, PTR,                                              \
          "the PTR is reached through a CNAME (RFC 2317)")                                         \
        X(FCRDNS_MISMATCH, SEV_ERROR, DNS_PROVIDER, FORWARD,                                       \
          "the PTR name's addresses do not include the IP")                                        \
        X(FCRDNS_NO_ADDRESS, SEV_ERROR, DNS_PROVIDER, FORWARD,                                     \
          "the PTR name has no A/AAAA record")                                                     \
        X(RESOLUTION_SERVFAIL, SEV_ERROR, BLOCK_HOLDER, PTR,                                       \
          "the reverse lookup failed (SERVFAIL)")                                                  \
        X(RESOLUTION_TIMEOUT, SEV_ERROR, BLOCK_HOLDER, PTR, "the reverse lookup timed out")        \
        X(DNSSEC_BOGUS, SEV_ERROR, BLOCK_HOLDER, PTR, "DNSSEC validation failed (bogus)")          \
        X(NEGATIVE_CACHE, SEV_INFO, NOBODY, PTR, "resolvers may cache the negative answer")        \
        X(HOSTNAME_DOMAIN_MISMATCH, SEV_WARNING, NAMING, PTR,                                      \
          "the PTR name is not in the sending domain")                                             \
        X(IP_NOT_PUBLIC, SEV_ERROR, YOU, PTR, "the address is not a public address")               \
        X(DELEGATION_LAME, SEV_ERROR, ZONE_OPERATOR, TRACE,                                        \
          "a listed name server is not authoritative for the zone")                                \
        X(DELEGATION_UNREACHABLE, SEV_ERROR, ZONE_OPERATOR, TRACE,                                 \
          "a listed name server does not answer")                                                  \
        X(DELEGATION_INCONSISTENT, SEV_ERROR, ZONE_OPERATOR, TRACE,                                \
          "the servers of one zone disagree")                                                      \
        X(DELEGATION_NS_MISMATCH, SEV_WARNING, ZONE_OPERATOR, TRACE,                               \
          "parent and child NS sets differ")                                                       \
        X(ZONE_NOT_DELEGATED_TO_EXPECTED_NS, SEV_ERROR, DELEGATOR, TRACE,                          \
          "the zone is not delegated where expected")                                              \
        X(CNAME_LOOP, SEV_ERROR, ZONE_OPERATOR, TRACE, "a CNAME chain loops")                      \
        X(DELEGATION_LOOP, SEV_ERROR, ZONE_OPERATOR, TRACE, "the delegation loops")                \
        X(TRACE_LIMIT, SEV_ERROR, RETRY, TRACE, "the trace hit a safety limit")                    \
        X(UPSTREAM_UNREACHABLE, SEV_ERROR, THIS_HOST, PTR,                                         \
          "this machine cannot reach DNS servers (firewall? offline?)")                            \
        X(DNSBL_LISTED, SEV_ERROR, SENDER, RETEST, "the address is on a blocklist (DNSBL)")        \
        X(DNSBL_UNCHECKED, SEV_WARNING, DNSBL_QUERIER, RETEST, "a blocklist could not be checked") \
        X(CHECK_DEADLINE, SEV_ERROR, RETRY, PTR,                                                   \
          "ptrwiz's deadline ended the check first; nobody is blamed")                             \
        X(EXPECT_NS_UNKNOWN, SEV_WARNING, EXPECT_NS, TRACE, "an --expect-ns name does not exist")  \
        X(SENDER_IPV6_NO_PTR, SEV_ERROR, BLOCK_HOLDER, IDENTIFY,                                   \
          "this machine sends over IPv6 from an address without working reverse DNS")              \
        X(SENDER_SOURCE_FAILS, SEV_ERROR, BLOCK_HOLDER, IDENTIFY,                                  \
          "an address this machine sends from fails the check")                                    \
        X(SENDER_HELO_NOT_FQDN, SEV_ERROR, MAIL_ADMIN, IDENTIFY,                                   \
          "the HELO name is not a fully qualified host name")                                      \
        X(SENDER_HELO_NO_ADDRESS, SEV_ERROR, MAIL_ADMIN, IDENTIFY,                                 \
          "the HELO name does not resolve")                                                        \
        X(SENDER_HELO_PTR_MISMATCH, SEV_WARNING, MAIL_ADMIN, IDENTIFY,                             \
          "the HELO name is not the PTR name")                                                     \
        X(SENDER_BEHIND_NAT, SEV_WARNING, YOU, IDENTIFY,                                           \
          "the source address is private: the receiver sees a NAT's address")

enum finding_code {
#define FINDING_ENUM(code, sev, actor, step, summary) FINDING_##code,
        FINDING_CODES(FINDING_ENUM)
#undef FINDING_ENUM
            FINDING__COUNT
};

struct finding {
        enum finding_code code;
        enum severity severity;
        enum finding_actor actor; /* the table's, or the context's (check_assign_actors) */
        enum guide_step step;
        char *message; /* one line, already escaped */
        char *fix;     /* what to do and who must do it, already escaped */
};

struct findings {
        struct finding *v;
        size_t n, cap;
};

const char *finding_code_name(enum finding_code code);
enum severity finding_code_severity(enum finding_code code);
const char *finding_code_summary(enum finding_code code);
enum finding_actor finding_code_actor(enum finding_code code); /* the table's */
enum guide_step finding_code_step(enum finding_code code);     /* the table's */
const char *finding_actor_name(enum finding_actor a);          /* "block_holder", for JSON */
const char *finding_actor_brief(enum finding_actor a);         /* "IP block holder" */
/* The long form, its %s (if any) filled with zone. */
void finding_actor_text(enum finding_actor a, const char *zone, char *buf, size_t len);
/* -1 when name is not a known actor name. */
int finding_actor_from_name(const char *name);
const char *guide_step_name(enum guide_step s); /* "ptr", for JSON */
/* -1 when name is not a known code. */
int finding_code_from_name(const char *name);
const char *severity_name(enum severity sev);

/* Adds a finding with printf-style message; fix is copied. Any value that
 * came from the network must already be escaped by the caller. Returns -1
 * when out of memory (the list is unchanged). */
int findings_add(struct findings *f, enum finding_code code, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends a copy of every finding of src; -1 when out of memory. */
int findings_copy(struct findings *dst, const struct findings *src);
int findings_has(const struct findings *f, enum finding_code code);
enum severity findings_worst(const struct findings *f); /* SEV_INFO when empty */
void findings_clear(struct findings *f);

#endif
