/* finding: what a check found, with a stable code, a severity, a one-line
 * message and a concrete fix. FINDING_CODES is the one table of codes. */
#ifndef PTRWIZ_FINDING_H
#define PTRWIZ_FINDING_H

#include <stdarg.h>
#include <stddef.h>

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

/* X(code, severity, one-line summary) */
#define FINDING_CODES(X)                                                                           \
        X(PTR_MISSING, SEV_ERROR, "no PTR record: the reverse name does not exist")                \
        X(PTR_NODATA, SEV_ERROR, "the reverse name exists but has no PTR record")                  \
        X(PTR_MULTIPLE, SEV_WARNING, "more than one PTR record")                                   \
        X(PTR_GENERIC, SEV_WARNING, "the PTR name looks like a generic or dynamic name")           \
        X(PTR_INVALID_HOSTNAME, SEV_ERROR, "the PTR name is not a valid host name")                \
        X(PTR_MISSING_FINAL_DOT, SEV_ERROR,                                                        \
          "the PTR name ends with its zone: written without the final dot")                        \
        X(PTR_CNAME_CLASSLESS, SEV_INFO, "the PTR is reached through a CNAME (RFC 2317)")          \
        X(FCRDNS_MISMATCH, SEV_ERROR, "the PTR name's addresses do not include the IP")            \
        X(FCRDNS_NO_ADDRESS, SEV_ERROR, "the PTR name has no A/AAAA record")                       \
        X(RESOLUTION_SERVFAIL, SEV_ERROR, "the reverse lookup failed (SERVFAIL)")                  \
        X(RESOLUTION_TIMEOUT, SEV_ERROR, "the reverse lookup timed out")                           \
        X(DNSSEC_BOGUS, SEV_ERROR, "DNSSEC validation failed (bogus)")                             \
        X(NEGATIVE_CACHE, SEV_INFO, "resolvers may cache the negative answer")                     \
        X(HOSTNAME_DOMAIN_MISMATCH, SEV_WARNING, "the PTR name is not in the sending domain")      \
        X(IP_NOT_PUBLIC, SEV_ERROR, "the address is not a public address")                         \
        X(DELEGATION_LAME, SEV_ERROR, "a listed name server is not authoritative for the zone")    \
        X(DELEGATION_UNREACHABLE, SEV_ERROR, "a listed name server does not answer")               \
        X(DELEGATION_INCONSISTENT, SEV_ERROR, "the servers of one zone disagree")                  \
        X(DELEGATION_NS_MISMATCH, SEV_WARNING, "parent and child NS sets differ")                  \
        X(ZONE_NOT_DELEGATED_TO_EXPECTED_NS, SEV_ERROR,                                            \
          "the zone is not delegated where expected")                                              \
        X(CNAME_LOOP, SEV_ERROR, "a CNAME chain loops")                                            \
        X(DELEGATION_LOOP, SEV_ERROR, "the delegation loops")                                      \
        X(TRACE_LIMIT, SEV_ERROR, "the trace hit a safety limit")                                  \
        X(SENDER_IPV6_NO_PTR, SEV_ERROR,                                                           \
          "this machine sends over IPv6 from an address without working reverse DNS")              \
        X(SENDER_SOURCE_FAILS, SEV_ERROR, "an address this machine sends from fails the check")    \
        X(SENDER_HELO_NOT_FQDN, SEV_ERROR, "the HELO name is not a fully qualified host name")     \
        X(SENDER_HELO_NO_ADDRESS, SEV_ERROR, "the HELO name does not resolve")                     \
        X(SENDER_HELO_PTR_MISMATCH, SEV_WARNING, "the HELO name is not the PTR name")              \
        X(SENDER_BEHIND_NAT, SEV_WARNING,                                                          \
          "the source address is private: the receiver sees a NAT's address")

enum finding_code {
#define FINDING_ENUM(code, sev, summary) FINDING_##code,
        FINDING_CODES(FINDING_ENUM)
#undef FINDING_ENUM
            FINDING__COUNT
};

struct finding {
        enum finding_code code;
        enum severity severity;
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
/* -1 when name is not a known code. */
int finding_code_from_name(const char *name);
const char *severity_name(enum severity sev);

/* Adds a finding with printf-style message; fix is copied. Any value that
 * came from the network must already be escaped by the caller. Returns -1
 * when out of memory (the list is unchanged). */
int findings_add(struct findings *f, enum finding_code code, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int findings_has(const struct findings *f, enum finding_code code);
enum severity findings_worst(const struct findings *f); /* SEV_INFO when empty */
void findings_clear(struct findings *f);

#endif
