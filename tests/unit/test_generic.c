/* Unit tests for generic: real-looking provider defaults and mail names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ptrwiz/generic.h"

struct gcase {
        const char *name;
        const char *ip;
        const char *why; /* part of the reason; NULL when not generic */
};

/* addr.c parses for the program; here the struct is filled by hand. */
static struct addr make_addr(const char *text)
{
        struct addr a;

        memset(&a, 0, sizeof a);
        a.family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
        if (inet_pton(a.family, text, a.bytes) != 1)
                fail_msg("bad test address %s", text);
        return a;
}

/* Checks every case and lists all that fail before failing. */
static void run_cases(const struct gcase *cases, size_t n)
{
        int bad = 0;

        for (size_t i = 0; i < n; i++) {
                struct addr a = make_addr(cases[i].ip);
                struct generic_verdict v;
                generic_check(cases[i].name, &a, &v);
                bool want = cases[i].why != NULL;
                bool ok = v.generic == want && strchr(v.reason, '\n') == NULL &&
                          (want ? strstr(v.reason, cases[i].why) != NULL : v.reason[0] == '\0');
                if (!ok) {
                        print_error("%s (%s): generic=%d reason \"%s\"; expected %s\n",
                                    cases[i].name, cases[i].ip, v.generic, v.reason,
                                    want ? cases[i].why : "not generic");
                        bad++;
                }
        }
        if (bad > 0)
                fail_msg("%d of %zu cases wrong", bad, n);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

static void test_v4_ip_forms(void **state)
{
        static const struct gcase cases[] = {
            {"198-18-1-15.example.net.", "198.18.1.15", "dashed (198-18-1-15)"},
            {"15-1-18-198.example.net.", "198.18.1.15", "reversed and dashed (15-1-18-198)"},
            {"198.18.1.15.example.net.", "198.18.1.15", "dotted (198.18.1.15)"},
            {"15.1.18.198.example.net.", "198.18.1.15", "reversed and dotted (15.1.18.198)"},
            {"ip-10-0-0-1.ec2.internal.", "10.0.0.1", "dashed (10-0-0-1)"},
            {"host-198-18-1-15.example.net.", "198.18.1.15", "dashed"},
            {"static-198-18-1-15.example.net.", "198.18.1.15", "dashed"},
            {"198018001015.example.net.", "198.18.1.15", "zero-padded (198018001015)"},
            {"015001018198.example.net.", "198.18.1.15", "reversed and zero-padded"},
            {"h198-018-001-015.example.net.", "198.18.1.15", "zero-padded (198-018-001-015)"},
            {"ip-c612010f.example.net.", "198.18.1.15", "in hex (c612010f)"},
            {"C612010F.example.net.", "198.18.1.15", "in hex (c612010f)"},
            {"h3323068687.example.net.", "198.18.1.15", "as one number (3323068687)"},
            {"nat-198-18-1.example.net.", "198.18.1.15", "three octets of the IP appear"},
            {"a15-1-18.example.net.", "198.18.1.15", "three octets of the IP appear reversed"},
            {"srv15-1.city198-18.example.net.", "198.18.1.15", "two halves (198-18, 15-1)"},
            {"198_18_1_15.example.net.", "198.18.1.15", "underscores"},
            /* A mail word does not hide the address written into the name. */
            {"mail-198-18-1-15.example.com.", "198.18.1.15", "dashed"},
            {"x.198.18.1.15.example.net", "198.18.1.15", "dotted"},
            /* A neighbour's address: three octets still match, or any
             * address-like quad. */
            {"198-18-1-16.example.net.", "198.18.1.15", "three octets of the IP appear"},
            {"198-18-1-150.example.net.", "198.18.1.15", "three octets"},
            {"1198-18-1-15.example.net.", "198.18.1.15", "three octets of the IP appear (18-1-15)"},
            {"10-1-2-3.example.net.", "198.18.1.15", "an address written into it (10-1-2-3)"},
            {"h10.1.2.3.example.net.", "198.18.1.15", "(10.1.2.3)"},
            {"10-1-2-3.v6.example.net.", "2001:db8::1", "(10-1-2-3)"},
        };
        RUN(cases);
}

static void test_v4_providers(void **state)
{
        static const struct gcase cases[] = {
            {"ec2-3-120-4-5.eu-central-1.compute.amazonaws.com.", "3.120.4.5",
             "Amazon EC2's default name (under compute.amazonaws.com)"},
            {"ec2-54-1-2-3.compute-1.amazonaws.com.", "54.1.2.3", "Amazon EC2"},
            {"15.1.18.198.bc.googleusercontent.com.", "198.18.1.15", "Google Cloud"},
            {"myvm.westeurope.cloudapp.azure.com.", "20.1.2.3", "Microsoft Azure"},
            {"myservice.cloudapp.net.", "20.1.2.3", "Microsoft Azure"},
            {"198.18.1.15.vultrusercontent.com.", "198.18.1.15", "Vultr"},
            {"198.18.1.15.vultr.com.", "198.18.1.15", "dotted (198.18.1.15)"},
            {"172-105-1-2.ip.linodeusercontent.com.", "172.105.1.2", "Linode"},
            {"li123-45.members.linode.com.", "50.116.1.45", "Linode"},
            {"static.15.1.18.198.clients.your-server.de.", "198.18.1.15", "Hetzner"},
            {"static.198.18.1.15.clients.your-server.de.", "198.18.1.15", "Hetzner"},
            {"ip15.ip-198-18-1.eu.", "198.18.1.15", "three octets of the IP appear (198-18-1)"},
            {"ns3012345.ip-198-18-1.net.", "198.18.1.15", "three octets"},
            {"vps-1a2b3c4d.vps.ovh.net.", "51.1.2.3", "OVH"},
            {"vmi123456.contaboserver.net.", "185.1.2.3", "Contabo"},
            {"15-1-18-198.rev.poneytelecom.eu.", "198.18.1.15", "Scaleway"},
            {"sd-123456.dedibox.fr.", "62.210.1.2", "Scaleway"},
            {"ip-198-18-1-15.ip.secureserver.net.", "198.18.1.15", "GoDaddy"},
            {"p5B0C0D0E.dip0.t-ipconnect.de.", "91.12.13.14", "Deutsche Telekom"},
            {"p5b0c0d0e.example.net.", "91.12.13.14", "in hex (5b0c0d0e)"},
            {"c-73-1-2-3.hsd1.ca.comcast.net.", "73.1.2.3", "dashed (73-1-2-3)"},
            {"pool-71-1-2-3.nycmny.fios.verizon.net.", "71.1.2.3", "Verizon"},
            {"pool-71-1-2-3.nycmny.east.verizon.net.", "71.1.2.3",
             "dashed (71-1-2-3), next to the word 'pool'"},
            {"cpe-74-76-1-2.nc.res.rr.com.", "74.76.1.2", "Spectrum"},
            {"host86-1-2-3.range86-1.btcentralplus.com.", "86.1.2.3", "BT"},
            {"dsl-88-1-2-3.example.net.", "88.1.2.3", "next to the word 'dsl'"},
            {"aputeaux-654-1-10-44.w86-195.abo.wanadoo.fr.", "86.195.44.10", "Orange"},
            {"lfbn-idf1-1-123-45.w90-1.isp.example.", "90.1.45.123", "two halves"},
        };
        RUN(cases);
}

static void test_v4_words(void **state)
{
        static const struct gcase cases[] = {
            {"dynamic-1234.example.net.", "203.0.113.9", "the word 'dynamic'"},
            {"dyn123.isp.example.", "203.0.113.9", "'dyn'"},
            {"adsl-pool.example.net.", "203.0.113.9", "'pool'"},
            {"vdsl1.isp.example.net.", "203.0.113.9", "'vdsl'"},
            {"dhcp-12.campus.example.edu.", "203.0.113.9", "'dhcp'"},
            {"cable-modem-17.example.net.", "203.0.113.9", "'cable'"},
            {"ppp-12.example.net.", "203.0.113.9", "'ppp'"},
            {"pppoe.isp.example.net.", "203.0.113.9", "'pppoe'"},
            {"cust-17.example.net.", "203.0.113.9", "'cust'"},
            {"customer.isp.example.net.", "203.0.113.9", "'customer'"},
            {"client-5.isp.example.net.", "203.0.113.9", "'client'"},
            {"broadband.isp.example.net.", "203.0.113.9", "'broadband'"},
            {"dialup-3.isp.example.net.", "203.0.113.9", "'dial"},
            {"static-ip.isp.example.net.", "203.0.113.9", "'static-ip'"},
            {"unassigned.isp.example.net.", "203.0.113.9", "'unassigned'"},
            {"unknown.isp.example.net.", "203.0.113.9", "'unknown'"},
            {"not-set.isp.example.net.", "203.0.113.9", "'not-set'"},
            {"reverse.isp.example.net.", "203.0.113.9", "'reverse'"},
            {"home-17.isp.example.net.", "203.0.113.9", "'home'"},
            {"res-3.isp.example.net.", "203.0.113.9", "'res'"},
            {"user42.isp.example.net.", "203.0.113.9", "'user'"},
            {"x.dynamic.isp.example.net.", "203.0.113.9", "'dynamic'"},
            {"a.pool.isp.example.net.", "203.0.113.9", "'pool'"},
            {"a.dsl.isp.example.net.", "203.0.113.9", "'dsl'"},
            {"a.cable.isp.example.net.", "203.0.113.9", "'cable'"},
            {"rev-17.isp.example.", "203.0.113.9", "'rev'"},
            {"DYNAMIC-17.ISP.EXAMPLE.NET.", "203.0.113.9", "'dynamic'"},
        };
        RUN(cases);
}

static void test_v6_generic(void **state)
{
        static const struct gcase cases[] = {
            {"2001-db8--1.ip6.example.net.", "2001:db8::1", "dashed (2001-db8--1)"},
            {"2001-db8-0-0-0-0-0-1.example.net.", "2001:db8::1", "dashed"},
            {"2001-0db8-0000-0000-0000-0000-0000-0001.example.net.", "2001:db8::1", "dashed"},
            {"20010db8000000000000000000000001.example.net.", "2001:db8::1", "in hex"},
            {"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.example.net.",
             "2001:db8::1", "reversed nibbles"},
            {"2001-db8-1-2-1234-5678-9abc-def0.static.example.net.",
             "2001:db8:1:2:1234:5678:9abc:def0", "dashed"},
            {"2001-db8-1-2-0-0-0-5.example.net.", "2001:db8:1:2::6",
             "/64 prefix appears (2001-db8-1-2)"},
            {"p200300e1a2b3c4d5.dip0.t-ipconnect.de.", "2003:e1:a2b3:c4d5::1", "Deutsche Telekom"},
            {"p200300e1a2b3c4d5.example.net.", "2003:e1:a2b3:c4d5::1",
             "/64 prefix appears in hex (200300e1a2b3c4d5)"},
            {"pool-2001-db8-5--1.example.net.", "2001:db8:5::1",
             "dashed (2001-db8-5--1), next to the word 'pool'"},
            {"2a01-4f8-1-2--2.clients.your-server.de.", "2a01:4f8:1:2::2", "Hetzner"},
            {"dynamic-2a02-8070.example.net.", "2a02:8070::1", "the word 'dynamic'"},
            {"dsl.v6.isp.example.net.", "2001:db8::1", "'dsl'"},
            {"2001.db8.0.0.0.0.0.1.example.net.", "2001:db8::1", "dotted"},
            {"ec2-2600-1f18.compute-1.amazonaws.com.", "2600:1f18::1", "Amazon EC2"},
            {"2001-db8-a-b-c-d-e-f.dyn.example.net.", "2001:db8:a:b:c:d:e:f", "dashed"},
            {"2001-0db8-000a-000b.example.net.", "2001:db8:a:b::1", "/64 prefix appears"},
            {"host-2001-db8-1--25.example.net.", "2001:db8:1::25", "dashed (2001-db8-1--25)"},
            {"ip6-2a02-8108-1-2--1.isp.example.", "2a02:8108:1:2::1", "dashed"},
            {"cpe-2606-a000-1-2-3-4-5-6.res6.spectrum.com.", "2606:a000:1:2:3:4:5:6",
             "dashed (2606-a000-1-2-3-4-5-6), next to the word"},
            {"2a00-1-2-3--1.dynamic.example.net.", "2a00:1:2:3::1", "'dynamic'"},
            {"dynamic-ip6.isp.example.net.", "2001:db8::1", "'dynamic'"},
            {"pool6-17.isp.example.net.", "2001:db8::1", "'pool'"},
            {"unassigned-v6.isp.example.net.", "2001:db8::1", "'unassigned'"},
            {"2001-db8--1.rev.example.net.", "2001:db8::1", "next to the word 'rev'"},
            {"ipv6-2001-db8--1.example.net.", "2001:db8::1", "dashed"},
            {"20010db8000000000000000000000001.cust.example.net.", "2001:db8::1",
             "next to the word 'cust'"},
            {"2a02-810d-1-2-3-4-5-6.ipv6.example.net.", "2a02:810d:1:2:3:4:5:6", "dashed"},
            {"2001-db8-1-2.v6.cust.example.net.", "2001:db8:1:2::99", "/64 prefix"},
            {"dhcp6-2001-db8-5--a.example.net.", "2001:db8:5::a", "'dhcp'"},
            {"v6.dsl.example.net.", "2001:db8::1", "'dsl'"},
            {"5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.example.net.",
             "2001:db8:1:2::5", "reversed nibbles"},
            {"static-2a01-4f8-c17-1--1.example.com.", "2a01:4f8:c17:1::1", "dashed"},
            {"2a01-4f8-c17-1-0-0-0-1.clients.example.com.", "2a01:4f8:c17:1::1", "dashed"},
            {"customer-2a02-908.isp.example.", "2a02:908::1", "'customer'"},
            {"broadband6.isp.example.net.", "2001:db8::1", "'broadband'"},
            {"user-2001-db8-9--1.isp.example.", "2001:db8:9::1", "dashed"},
            {"2001-DB8--1.IP6.EXAMPLE.NET.", "2001:db8::1", "dashed (2001-db8--1)"},
            {"home6.isp.example.net.", "2001:db8::1", "'home'"},
            {"xdsl-2001-db8.isp.example.net.", "2001:db8::1", "'xdsl'"},
        };
        RUN(cases);
}

static void test_v4_not_generic(void **state)
{
        static const struct gcase cases[] = {
            {"mail.example.com.", "198.18.1.15", NULL},
            {"mx1.example.com.", "198.18.1.15", NULL},
            {"smtp-out.example.com.", "198.18.1.15", NULL},
            {"o1.email.sendgrid.net.", "167.89.1.2", NULL},
            {"o1.ptr1234.sendgrid.net.", "167.89.1.2", NULL},
            {"mail-ed1-f65.google.com.", "209.85.208.65", NULL},
            {"mail-wm1-f41.google.com.", "209.85.128.41", NULL},
            {"a27-65.smtp-out.amazonses.com.", "54.240.27.65", NULL},
            {"mail-db8eur05on2050.outbound.protection.outlook.com.", "40.107.1.50", NULL},
            {"mout.kundenserver.de.", "212.227.1.2", NULL},
            {"mo4-p00-ob.smtp.rzone.de.", "81.169.1.2", NULL},
            {"sonic301-21.consmr.mail.ne1.yahoo.com.", "98.137.1.2", NULL},
            {"mail-4322.protonmail.ch.", "185.70.1.2", NULL},
            {"m228-12.mailgun.net.", "159.135.228.12", NULL},
            {"mta-1-2.example.com.", "198.18.1.2", NULL},
            {"relay.example.org.", "198.18.1.15", NULL},
            {"mx.example.co.uk.", "198.18.1.15", NULL},
            {"mail.home.pl.", "198.18.1.15", NULL},
            {"smtp.dynamic-systems.com.", "198.18.1.15", NULL},
            {"feedback-smtp.us-east-1.amazonses.com.", "54.240.1.2", NULL},
            {"outbound.mailchannels.net.", "23.83.1.2", NULL},
            {"www.revolut.example.com.", "198.18.1.15", NULL},
            {"poolside.example.com.", "198.18.1.15", NULL},
            {"homer.example.com.", "198.18.1.15", NULL},
            {"userland.example.com.", "198.18.1.15", NULL},
            {"dynamics.example.com.", "198.18.1.15", NULL},
            {"mx01.example.com.", "198.18.1.15", NULL},
            {"server1.example.net.", "198.18.1.15", NULL},
            {"web01.example.net.", "198.18.1.15", NULL},
            {"vps123.example.net.", "198.18.1.15", NULL},
            {"ns1.example.net.", "198.18.1.15", NULL},
            {"srv-mail-02.example.de.", "198.18.1.15", NULL},
            {"mx-in.example.com.", "198.18.1.15", NULL},
            {"smtp2.example.com.", "198.18.1.15", NULL},
            {"mailer.example.com.", "198.18.1.15", NULL},
            {"bounce.example.com.", "198.18.1.15", NULL},
            {"exchange.corp.example.com.", "198.18.1.15", NULL},
            {"host.example.com.", "198.18.1.15", NULL},
            {"mail.ovh.net.", "198.27.1.2", NULL},
            {"mail.your-server.de.", "88.198.1.2", NULL},
            {"smtp.wanadoo.fr.", "80.12.1.2", NULL},
            {"mailout.t-online.de.", "194.25.1.2", NULL},
            {"resomta-po-01v.sys.comcast.net.", "96.114.154.1", NULL},
            {"mail.cust-portal.example.com.", "198.18.1.15", NULL},
            {"mail.dsl.example.com.", "198.18.1.15", NULL},
            {"ubuntu-s-1vcpu-1gb-fra1-01.example.com.", "198.18.1.15", NULL},
            {"compute.amazonaws.com.", "54.1.2.3", NULL},
            {"mail.example.com", "10.0.0.1", NULL},
            {"m1.example.com.", "1.1.1.1", NULL},
            /* Numbers that are not an address: too big, mixed separators, too few. */
            {"v256-1-2-3.example.net.", "198.18.1.15", NULL},
            {"build-1-2.3-4.example.net.", "198.18.1.15", NULL},
            {"r1-2-3.example.net.", "198.18.1.15", NULL},
            {"1234-5-6-7.example.net.", "198.18.1.15", NULL},
        };
        RUN(cases);
}

static void test_v6_not_generic(void **state)
{
        static const struct gcase cases[] = {
            {"mail.example.com.", "2001:db8::25", NULL},
            {"mx1.example.net.", "2001:db8:1::1", NULL},
            {"mail-yw1-x1130.google.com.", "2607:f8b0:4864:20::1130", NULL},
            {"mail-am6eur05on2001.outbound.protection.outlook.com.", "2a01:111:f400:7e1b::201",
             NULL},
            {"smtp.mailbox.org.", "2001:67c:2050::465", NULL},
            {"mout-p-101.mailbox.org.", "2001:67c:2050:101::465", NULL},
            {"mail.posteo.de.", "2a05:bc0:1000::1", NULL},
            {"o1.email.sendgrid.net.", "2001:db8::1", NULL},
            {"relay.example.org.", "2001:db8::1", NULL},
            {"db8.example.net.", "2001:db8::1", NULL},
            {"mail.2001.example.com.", "2001:db8::1", NULL},
            {"2001-db8--10.example.net.", "2001:db8::1", NULL},
            {"mx.example.co.uk.", "2a00:1450:4009::1", NULL},
            {"mail-ot1-x32a.google.com.", "2607:f8b0:4864:20::32a", NULL},
            {"mail-pj1-x1029.google.com.", "2607:f8b0:4864:20::1029", NULL},
            {"mail-lf1-x12f.google.com.", "2a00:1450:4864:20::12f", NULL},
            {"mx.google.com.", "2a00:1450:400c:c0c::1a", NULL},
            {"mail-41103.protonmail.ch.", "2a02:2a40:1::3", NULL},
            {"mout.web.de.", "2001:8d8:1:1::2", NULL},
            {"mailout01.t-online.de.", "2003:0:1::1", NULL},
            {"mx1.riseup.net.", "2620:0:2::1", NULL},
            {"mail.kernel.org.", "2604:1380:4641:c500::1", NULL},
            {"out1-smtp.messagingengine.com.", "2603:1000::1", NULL},
            {"mail-db3eur04on0705.outbound.protection.outlook.com.", "2a01:111:f400:fe0c::705",
             NULL},
            {"mail.mailbox.org.", "2001:67c:2050::1", NULL},
            {"mx2.hetzner.com.", "2a01:4f8:0:a0a1::add:1010", NULL},
            {"relay.mailchannels.net.", "2604:1::1", NULL},
            {"smtp1.example.de.", "2a01:4f8:1:2::25", NULL},
            {"mail.example.com.", "2a01:4f8:c17:1::1", NULL},
            {"srv1.example.org.", "2001:db8::1", NULL},
            {"mx.example.nl.", "2a02:58:1::1", NULL},
            {"bounce.example.com.", "2001:db8::1", NULL},
            {"mta.example.com.", "2001:db8::1", NULL},
            {"mail.2a01-4f8.example.com.", "2a01:4f8:1:2::1", NULL},
            {"mx1.2001.example.net.", "2001:db8::1", NULL},
            {"2001db8-1-2.example.net.", "2001:db8:1:2::5", NULL},
            {"mail-2001-db8.example.net.", "2001:db8:1:2::5", NULL},
            {"smtp-out.mail.example.", "2001:db8::25", NULL},
            {"newsletter.example.com.", "2001:db8::1", NULL},
            {"mx-2.example.com.", "2001:db8::2", NULL},
            {"email.example.co.uk.", "2a00:1098::1", NULL},
        };
        RUN(cases);
}

static void test_no_address(void **state)
{
        struct generic_verdict v;

        generic_check("dynamic-17.isp.example.net.", NULL, &v);
        assert_true(v.generic);
        generic_check("198-18-1-15.example.net.", NULL, &v);
        assert_true(v.generic);
        assert_string_equal(v.reason, "the name has an address written into it (198-18-1-15)");
        generic_check("mail.example.com.", NULL, &v);
        assert_false(v.generic);
        generic_check("", NULL, &v);
        assert_false(v.generic);
        generic_check(".", NULL, &v);
        assert_false(v.generic);
        /* Numbers at the very end of the name (once read past the NUL). */
        generic_check("a-1", NULL, &v);
        assert_false(v.generic);
        generic_check("x.1-2-3", NULL, &v);
        assert_false(v.generic);
        generic_check("x.1-2-3-4", NULL, &v);
        assert_true(v.generic);
}

/* The cases issue 11 reports, and the word classes they led to. */
static void test_issue11(void **state)
{
        static const struct gcase cases[] = {
            /* wrongly flagged: words of a registered domain, or beside a mail label */
            {"clients.mail.example.net.", "198.18.1.15", NULL},
            {"home.example.com.", "198.18.1.15", NULL},
            {"server.home.co.uk.", "198.18.1.15", NULL},
            {"mx.home.example.co.uk.", "198.18.1.15", NULL},
            {"smtp.dsl.isp.example.net.", "198.18.1.15", NULL},
            {"client.example.com.", "198.18.1.15", NULL},
            {"users.example.org.", "198.18.1.15", NULL},
            /* missed: static names, subscriber, fiber, mobile, a dyn label
             * beside a mail word, localhost */
            {"static-17.isp.example.", "198.18.1.15", "'static'"},
            {"host17.static.isp.example.", "198.18.1.15", "'static'"},
            {"outbound1.dyn.example.net.", "198.18.1.15", "'dyn'"},
            {"mail.dynamic.isp.example.", "198.18.1.15", "'dynamic'"},
            {"localhost.localdomain.", "198.18.1.15", "localhost"},
            {"localhost.", "198.18.1.15", "localhost"},
            {"mail.localdomain.", "198.18.1.15", "under .localdomain"},
            {"mx1.lan.", "198.18.1.15", "under .lan"},
            {"mail.home.arpa.", "198.18.1.15", "under .home.arpa"},
            {"sub17.subscriber.isp.example.", "198.18.1.15", "'subscriber'"},
            {"subscriber-17.isp.example.", "198.18.1.15", "'subscriber'"},
            {"x17.fiber.isp.example.", "198.18.1.15", "'fiber'"},
            {"ont17.gpon.isp.example.", "198.18.1.15", "'gpon'"},
            {"gpon.isp.example.", "198.18.1.15", "'gpon'"},
            {"u17.lte.isp.example.", "198.18.1.15", "'lte'"},
            {"mail.lte.isp.example.", "198.18.1.15", "'lte'"},
            {"m17.4g.isp.example.", "198.18.1.15", "'4g'"},
            {"mobile-17.isp.example.", "198.18.1.15", "'mobile'"},
            {"ftth17.isp.example.", "198.18.1.15", "'ftth'"},
            {"home-17.isp.example.", "198.18.1.15", "'home'"},
            {"client17.isp.example.", "198.18.1.15", "'client'"},
            /* token edges: a digit word is not found inside a number or a word */
            {"a13g.example.com.", "198.18.1.15", NULL},
            {"filter.example.com.", "198.18.1.15", NULL},
            {"mobileiron.example.com.", "198.18.1.15", NULL},
            /* the zone-file mistake is PTR_MISSING_FINAL_DOT: judge the name meant */
            {"mail.example.com.1.18.198.in-addr.arpa.", "198.18.1.15", NULL},
            {"mail.example.com.example.com.", "198.18.1.15", NULL},
            {"dsl-17.isp.example.1.18.198.in-addr.arpa.", "198.18.1.15", "'dsl'"},
        };
        RUN(cases);
}

/* tests/names/ptr-names.tsv: real default names and real mail server names,
 * each with its source. Every line must be well formed and called right. */
#define CORPUS_MIN 250 /* a truncated file must not pass */

struct corpus_stats {
        int lines, generic, ok, wrong, malformed;
};

/* Splits line into exactly n tab-separated fields (in place). */
static bool split_tabs(char *line, char **field, int n)
{
        for (int i = 0; i < n; i++) {
                field[i] = line;
                char *tab = strchr(line, '\t');
                if (i < n - 1 && tab == NULL)
                        return false;
                if (i == n - 1)
                        return tab == NULL && field[i][0] != '\0';
                *tab = '\0';
                line = tab + 1;
                if (field[i][0] == '\0')
                        return false;
        }
        return true;
}

/* A URL, the issue that reported the case, or a file of this repository. */
static bool source_ok(const char *src, const char *root)
{
        char path[4096];

        if (strncmp(src, "https://", 8) == 0 || strncmp(src, "http://", 7) == 0)
                return strchr(src, ' ') == NULL;
        if (strcmp(src, "ptrwiz issue 11") == 0)
                return true;
        snprintf(path, sizeof path, "%s/%s", root, src);
        return strstr(src, "..") == NULL && access(path, R_OK) == 0;
}

static void corpus_line(char *line, int lineno, const char *root, struct corpus_stats *st)
{
        char *f[4];
        struct addr a;
        struct generic_verdict v;

        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
                return;
        st->lines++;
        memset(&a, 0, sizeof a);
        bool good = split_tabs(line, f, 4) &&
                    (strcmp(f[2], "generic") == 0 || strcmp(f[2], "ok") == 0) &&
                    source_ok(f[3], root);
        if (good && strcmp(f[1], "-") != 0) {
                a.family = strchr(f[1], ':') != NULL ? AF_INET6 : AF_INET;
                good = inet_pton(a.family, f[1], a.bytes) == 1;
        }
        if (!good) {
                print_error("ptr-names.tsv:%d: malformed line\n", lineno);
                st->malformed++;
                return;
        }
        bool want = strcmp(f[2], "generic") == 0;
        generic_check(f[0], strcmp(f[1], "-") != 0 ? &a : NULL, &v);
        want ? st->generic++ : st->ok++;
        if (v.generic != want || strchr(v.reason, '\n') != NULL) {
                print_error("ptr-names.tsv:%d: %s (%s): generic=%d \"%s\", expected %s\n", lineno,
                            f[0], f[1], v.generic, v.reason, f[2]);
                st->wrong++;
        }
}

static void test_corpus(void **state)
{
        const char *root = getenv("PTRWIZ_SOURCE_DIR");
        char path[4096], *line = NULL;
        size_t cap = 0;
        struct corpus_stats st = {0};
        int lineno = 0;

        if (root == NULL)
                root = ".";
        snprintf(path, sizeof path, "%s/tests/names/ptr-names.tsv", root);
        FILE *fp = fopen(path, "r");
        if (fp == NULL)
                fail_msg("cannot open %s (set PTRWIZ_SOURCE_DIR)", path);
        while (getline(&line, &cap, fp) != -1)
                corpus_line(line, ++lineno, root, &st);
        free(line);
        fclose(fp);
        print_message("corpus: %d names, %d generic, %d ok, %d wrong, %d malformed\n", st.lines,
                      st.generic, st.ok, st.wrong, st.malformed);
        assert_int_equal(st.malformed, 0);
        assert_int_equal(st.wrong, 0);
        assert_true(st.lines >= CORPUS_MIN);
        assert_true(st.generic >= 100 && st.ok >= 100);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_v4_ip_forms),    cmocka_unit_test(test_v4_providers),
            cmocka_unit_test(test_v4_words),       cmocka_unit_test(test_v6_generic),
            cmocka_unit_test(test_v4_not_generic), cmocka_unit_test(test_v6_not_generic),
            cmocka_unit_test(test_no_address),     cmocka_unit_test(test_issue11),
            cmocka_unit_test(test_corpus),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
