#!/bin/bash
# The Markdown report from hostile input: a bounce whose text holds a line
# of ``` (it closed the fence), a heading, a link and HTML, and PTR names
# with <img>, [x](y), a heading marker, backticks and ESC/BEL/0x9B/NUL/0x0E
# bytes. GitHub's renderer (cmark-gfm) must find only the report's own
# structure: no image, no link whose text hides its target, no heading but
# ours, every bounce line inside one code block, and no raw control byte
# in the file. The whole walk runs under strace: lab addresses only.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

command -v cmark-gfm >/dev/null || {
        echo "not ok - cmark-gfm is not installed (scripts/deps.sh test)"
        exit 1
}

# 198.18.2.40 gets the hostile PTRs (2.18.198 is not signed); new serial,
# NSD reloads, then wait until every server of the zone has them.
zone=$LAB_DIR/zones/2.18.198.in-addr.arpa.zone
sed -i 's/2024061502/2024061540/' "$zone"
cat >>"$zone" <<'EOF'
40 PTR \<img\032src\=x\032onerror\=alert\(1\)\>.example.com.
40 PTR \[click\]\(http://evil\.example/\).example.com.
40 PTR \035\032Injected\032from\032DNS.example.com.
40 PTR \`\`\`\032evil.example.com.
40 PTR bytes\027\007\155\000\014x.example.com.
EOF
for id in rdns1 rdns2; do
        kill -HUP "$(cat "$LAB_DIR/run/nsd-$id.pid")"
done
for a in 127.53.6.1 127.53.6.2 127.53.6.3; do
        deadline=$((SECONDS + 30))
        until [ "$(dig +short +norec @"$a" -x 198.18.2.40 PTR | grep -c .)" = 5 ]; do
                [ $SECONDS -ge $deadline ] && {
                        echo "not ok - $a did not load the hostile PTRs"
                        exit 1
                }
                sleep 0.1
        done
done

bounce=$TUI_DIR/hostile-bounce.txt
printf '%s\n' 'From: MAILER-DAEMON@mail.example.net (Mail Delivery System)' \
        'Subject: Undelivered Mail Returned to Sender' '' \
        '<someone@example.org>: host mx.example.org[198.18.9.9] said: 550 5.7.25' \
        '    [198.18.2.40] <img src=x onerror=alert(1)> [click](http://evil.example/) **bold**' \
        '    no PTR record, reverse DNS required (in reply to RCPT TO command)' \
        '```' '# Injected heading' '[link](http://evil.example/)' '<img src=x onerror=alert(2)>' \
        '```' 'after the fence' >"$bounce"
printf 'bytes: \033[31mred\007 \233 \000 \016 end\n' >>"$bounce"

report=$TUI_DIR/report.md
# LeakSanitizer cannot run under ptrace (other tests check leaks).
tui_start 160 50 "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg \
        -e signal=none -o "$TUI_DIR/wizard.strace" "$PTRWIZ" "${LAB[@]}" --bounce "$bounce" \
        --report "$report" --report-full-bounce
expect "Press Enter to check 198\.18\.2\.40" "the bounce names 198.18.2.40"
keys Enter
expect "Step 2 of 5: Check the PTR record" "step 2"
keys Enter
expect "Step 3 of 5" "step 3"
keys Enter
expect "Step 4 of 5: Trace the delegation" "step 4"
expect ";; done: " "the trace ends"
keys q
expect "EXITED" "q quits"
check test -s "$report" "the report is written"

# No raw control byte (bar the newline) reaches the file, nor a C1 CSI.
check bash -c '! LC_ALL=C grep -q -P "[\x00-\x09\x0b-\x1f\x7f\x9b]" "$1"' _ "$report" "no raw control bytes in the report"
check bash -c '! grep -q -P "\xc2\x9b" "$1"' _ "$report" "no UTF-8 CSI in the report"

html=$TUI_DIR/report.html
# --unsafe: raw HTML passes, as in renderers that allow <img> (GitHub does).
cmark-gfm --unsafe --extension table --extension strikethrough --extension autolink \
        --extension tagfilter "$report" >"$html"
check test -s "$html" "cmark-gfm renders the report"

# The rendered structure, read with Python's HTML parser: one line per
# finding that is wrong.
# Without Python nothing is read: that is a failure, not "no problems".
command -v python3 >/dev/null || not_ok "python3 is missing (bash scripts/deps.sh test installs it)"
problems=$(python3 - "$html" <<'PY'
import html.parser, sys
from urllib.parse import unquote

class Doc(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.headings, self.links, self.imgs, self.tags = [], [], [], [], set()
        self.codes, self.prose = [], []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.stack.append([tag, dict(attrs), ""])
        if tag == "img":
            self.imgs.append(dict(attrs))
    def handle_endtag(self, tag):
        while self.stack:
            t, attrs, text = self.stack.pop()
            if self.stack:
                self.stack[-1][2] += text
            if t in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.headings.append(text)
            if t == "a":
                self.links.append((attrs.get("href", ""), text))
            if t == "code" and any(s[0] == "pre" for s in self.stack):
                self.codes.append(text)
            if t in ("p", "li"):
                self.prose.append(text)
            if t == tag:
                break
    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data

d = Doc()
d.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
bad = []
for h in d.headings:
    if any(w in h.lower() for w in ("injected", "img", "click", "evil", "bold")):
        bad.append("a heading from the input: %r" % h)
if d.imgs:
    bad.append("images: %r" % d.imgs)
for href, text in d.links:  # GFM links bare URLs: fine when the text is the target
    if text not in (unquote(href), unquote(href).replace("mailto:", "", 1)):
        bad.append("a link whose text hides its target: %r -> %r" % (text, href))
for t in ("script", "iframe", "del", "em", "blockquote", "h4", "h5", "h6"):
    if t in d.tags:
        bad.append("a <%s> from the input" % t)
# One table, the report's own summary (its header is ours).
if d.tags & {"table"} and open(sys.argv[1], encoding="utf-8", errors="replace").read().count("<table>") != 1:
    bad.append("a <table> other than the summary")
fenced = [c for c in d.codes if "# Injected heading" in c]
if not fenced:
    bad.append("the bounce's lines are not in a code block")
elif not ("```" in fenced[0] and "after the fence" in fenced[0] and "<img src=x onerror=alert(2)>" in fenced[0]):
    bad.append("the bounce's code block ends early: %r" % fenced[0][:300])
said = [p for p in d.prose if "<img src=x onerror=alert(1)> [click](http://evil.example/) **bold**" in p]
if not said:
    bad.append("'They said' is not shown as the text itself")
names = "\n".join(d.prose + d.codes)
for want in ("<img\\032src=x\\032onerror=alert\\(1\\)>.example.com.",
             "[click]\\(http://evil\\.example/\\).example.com.",
             "#\\032injected\\032from\\032dns.example.com.",  # NSD lowers rdata names
             "bytes\\027\\007\\155\\000\\014x.example.com."):
    if want not in names:
        bad.append("the PTR name %s is not shown as itself" % want)
print("\n".join(bad))
PY
)
if [ -z "$problems" ]; then
        ok "the report's structure is its own"
else
        TUI_LAST=$(grep -n -e 'img' -e 'Injected' -e '```' "$report" | head -40)
        while IFS= read -r p; do not_ok "rendered report: $p"; done <<<"$problems"
fi

addrs=$( {
        grep -o 'inet_addr("[^"]*")' "$TUI_DIR/wizard.strace" | sed 's/.*("\(.*\)")/\1/'
        grep -o 'inet_pton(AF_INET6, "[^"]*"' "$TUI_DIR/wizard.strace" | sed 's/.*, "\(.*\)"/\1/'
} | sort -u)
outside=$(grep -v -E '^(127\.|::1$|::ffff:127\.)' <<<"$addrs" | paste -sd' ' -)
check test -z "$outside" "the wizard sent to lab addresses only${outside:+ (not: $outside)}"
check grep -q '^127\.53\.' <<<"$addrs" "strace saw the wizard's queries"
tui_done
