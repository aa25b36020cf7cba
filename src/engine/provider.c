/* provider: a table of cloud and hosting providers, each with the domains
 * its name servers, SOA contacts and default PTR names are under, and
 * where its customers set reverse DNS. The facts come from each
 * provider's own documentation (source), read in December 2026; the
 * domains are the provider's own (its default PTR names are documented on
 * the same pages). A domain matches a name at a label boundary only:
 * "evilamazonaws.com" is not amazonaws.com. */
#include "ptrwiz/provider.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define MAX_DOMAINS 6

struct row {
        struct provider p;
        const char *domains[MAX_DOMAINS]; /* without the final dot; NULL ends */
};

static const struct row rows[] = {
    /* Default names ec2-203-0-113-25.compute-1.amazonaws.com; reverse DNS
     * of an Elastic IP is set on the address (console, CLI
     * modify-address-attribute), the name's A record must point back. */
    {{"aws", "Amazon Web Services (EC2)",
      "Set it on the Elastic IP address itself: EC2 console, Elastic IPs, Actions, \"Update "
      "reverse DNS\" (or aws ec2 modify-address-attribute --domain-name); the name's A record "
      "must already point to the address.",
      "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/"
      "elastic-ip-addresses-eip.html#Using_Elastic_Addressing_Reverse_DNS"},
     {"amazonaws.com", "amazon.com", "awsdns.com", NULL}},
    /* Default names x.x.x.x.bc.googleusercontent.com. */
    {{"gcp", "Google Cloud (Compute Engine)",
      "Set a \"public PTR record\" on the VM's external IP (the network interface's "
      "external access configuration, or gcloud compute instances update-access-config "
      "--public-ptr-domain); the domain must be verified as yours.",
      "https://cloud.google.com/compute/docs/instances/create-ptr-record"},
     {"googleusercontent.com", "google.com", "googledomains.com", NULL}},
    {{"azure", "Microsoft Azure",
      "Set the public IP address's ReverseFqdn property (Azure PowerShell or CLI: az network "
      "public-ip update --reverse-fqdn); the name must resolve to that IP or to a name in "
      "your subscription.",
      "https://learn.microsoft.com/en-us/azure/dns/dns-reverse-dns-for-azure-services"},
     {"cloudapp.azure.com", "cloudapp.net", "azure-dns.com", "azure-dns.net", "msft.net", NULL}},
    {{"digitalocean", "DigitalOcean",
      "The PTR is made from the Droplet's name: rename the Droplet to the full host name "
      "(mail.example.com), and the PTR follows.",
      "https://docs.digitalocean.com/glossary/ptr-record/"},
     {"digitalocean.com", NULL}},
    /* Default names static.X.Y.Z.W.clients.your-server.de. */
    {{"hetzner", "Hetzner",
      "Set the reverse DNS entry of the IP in Hetzner Robot (dedicated servers: IPs tab) or "
      "the Hetzner Cloud Console (the server's Networking tab, or the API's change_dns_ptr).",
      "https://docs.ansible.com/ansible/latest/collections/community/hrobot/"
      "reverse_dns_module.html"},
     {"your-server.de", "hetzner.com", "hetzner.de", "hetzner.cloud", NULL}},
    {{"ovh", "OVHcloud",
      "Set the reverse of the IP in the OVHcloud Control Panel (Network, Public IP addresses, "
      "the IP's \"...\" menu, Modify the reverse path) or the API's /ip/{ip}/reverse.",
      "https://www.pulumi.com/registry/packages/ovh/api-docs/ip/reverse/"},
     {"ovh.net", "ovh.com", "ovh.ca", "ovhcloud.com", NULL}},
    /* Default names li123-45.members.linode.com, 203-0-113-25.ip.linodeusercontent.com. */
    {{"linode", "Akamai Cloud (Linode)",
      "Set the rDNS of the IP in Cloud Manager: the Linode's Network tab, the IP's menu, "
      "Edit RDNS; the name's A/AAAA record must already point to the IP.",
      "https://www.linode.com/docs/guides/configure-your-linode-for-reverse-dns/"},
     {"linode.com", "linodeusercontent.com", "akamai.com", NULL}},
    /* Default names 203.0.113.25.vultrusercontent.com. */
    {{"vultr", "Vultr",
      "Set the reverse DNS of the IP in the server's Settings, IPv4 (or IPv6) tab, or "
      "vultr-cli instance reverse-dns set-ipv4; changes may take 6 to 12 hours.",
      "https://docs.vultr.com/reference/vultr-cli/instance/reverse-dns/set-ipv4"},
     {"vultr.com", "vultrusercontent.com", NULL}},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* name ends with domain at a label boundary (a final dot allowed). */
static bool under(const char *name, const char *domain)
{
        size_t n = strlen(name), d = strlen(domain);
        if (n > 0 && name[n - 1] == '.')
                n--;
        if (n < d || strncasecmp(name + n - d, domain, d) != 0)
                return false;
        return n == d || name[n - d - 1] == '.';
}

const struct provider *provider_find(const char *const *names, size_t n)
{
        for (size_t i = 0; i < n; i++)
                for (size_t r = 0; names[i] && r < NROWS; r++)
                        for (size_t k = 0; k < MAX_DOMAINS && rows[r].domains[k]; k++)
                                if (under(names[i], rows[r].domains[k]))
                                        return &rows[r].p;
        return NULL;
}

static struct provider table[NROWS];

const struct provider *provider_table(size_t *n)
{
        for (size_t r = 0; r < NROWS; r++)
                table[r] = rows[r].p;
        *n = NROWS;
        return table;
}

const char *provider_generic_where(void)
{
        return "Hosting and cloud providers usually take the PTR in their control panel (a "
               "\"reverse DNS\" or \"rDNS\" field next to the IP) or by a support request; an "
               "ISP that runs the reverse zone itself adds the record on request.";
}
