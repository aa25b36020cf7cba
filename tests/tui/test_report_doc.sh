#!/bin/bash
# The Markdown report of a walk reads as a document: rendered by cmark-gfm
# it has no UI instructions (keys, "press", "Esc"), one marker style, each
# problem stated once (the summary table, which renders as a table), an
# ISO 8601 date with its offset, the bounce reduced to the lines that
# matter, the message for whoever must act, and the trace as `ptrwiz
# trace` prints it.
. "$(dirname "$0")/lib.sh"
tui_in_lab "$@"

command -v cmark-gfm >/dev/null || {
        echo "not ok - cmark-gfm is not installed (scripts/deps.sh test)"
        exit 1
}
report=$TUI_DIR/walk.md
W=120 H=40 tui_wizard --expect-host mail.example.com --bounce "$PTRWIZ_SOURCE_DIR/tests/tui/bounce-lab.txt" \
        --report "$report"
expect "It is about reverse DNS" "step 1 reads the bounce"
keys Enter
expect "Verdict: FAIL, this is why receivers reject the mail" "step 2 fails" 90
keys Enter Enter Enter
expect "Step 5 of 5: Test again" "the walk reaches step 5"
expect "FAIL: receivers will still reject" "step 5 has run again" 90
keys q
expect "EXITED 1" "q exits 1"
check test -s "$report" "the report is written"
[ "${TUI_VERBOSE:-0}" = 1 ] && sed 's/^/#   /' "$report"

html=$TUI_DIR/walk.html
cmark-gfm --extension table --extension autolink "$report" >"$html"
# Without Python nothing is read: that is a failure, not "no problems".
command -v python3 >/dev/null || not_ok "python3 is missing (bash scripts/deps.sh test installs it)"
problems=$(python3 - "$html" "$report" <<'PY'
import html.parser, re, sys

class Doc(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tables, self.th, self.in_pre, self.prose = [], 0, [], 0, []
        self.cur = None
    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if tag == "pre":
            self.in_pre += 1
        if tag == "th":
            self.cur = ""
    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre -= 1
        if tag == "th" and self.cur is not None:
            self.th.append(self.cur.strip())
            self.cur = None
    def handle_data(self, data):
        if self.cur is not None:
            self.cur += data
        self.text.append(data)
        if not self.in_pre:
            self.prose.append(data)

d = Doc()
d.feed(open(sys.argv[1], encoding="utf-8").read())
md = open(sys.argv[2], encoding="utf-8").read()
text, prose = "".join(d.text), "".join(d.prose)
bad = []
for ui in ("press ", "Press ", "Esc ", "(i edits)", "Enter for step"):
    if ui in prose:
        bad.append("a UI instruction in the report: %r" % ui)
if d.tables != 1 or d.th[:6] != ["Severity", "Code", "Step", "Problem", "Fix", "Who has to act"]:
    bad.append("the summary is not one rendered table: %d tables, header %r" % (d.tables, d.th))
msg = "11.1.18.198.in-addr.arpa. does not exist (NXDOMAIN in zone 1.18.198.in-addr.arpa.)"
if text.count(msg) != 1:
    bad.append("the problem is stated %d times, not once" % text.count(msg))
for marker in ("[problem] Problem:", "[warning] Warning:", "✗", "✓"):
    if marker in text:
        bad.append("a second marker style: %r" % marker)
if not re.search(r"Date:\*\* \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n", md):
    bad.append("the date is not ISO 8601 with an offset")
if "550-5.7.25 [198.18.1.11] The IP address sending this message" not in text:
    bad.append("the rejection is not quoted")
if "I'm sorry to have to inform you" in text:
    bad.append("the bounce is quoted whole, not reduced")
if "To: hostmaster@example.net" not in text or "11.1.18.198.in-addr.arpa. IN PTR mail.example.com." not in text:
    bad.append("the message for the zone's operator is missing")
if not re.search(r"^;; Received \d+ bytes from", text, re.M) and ";; verdict" not in text:
    bad.append("the trace is not the one ptrwiz trace prints")
print("\n".join(bad))
PY
)
if [ -z "$problems" ]; then
        ok "the rendered report reads as a document"
else
        while IFS= read -r p; do TUI_LAST="$p"; not_ok "report: $p"; done <<<"$problems"
fi
tui_done
