#!/usr/bin/env bash
# screenshots.sh [BUILD_DIR]: the README's pictures of the wizard, taken
# from real runs against the DNS lab: each step, the trace pane and the
# breakdown pane. The wizard runs in tmux (tests/tui/lib.sh); the screen
# is captured with its colours (capture-pane -e), turned into Pango markup
# by the Perl below and drawn by ImageMagick in DejaVu Sans Mono.
#
# Needs (Debian): tmux, perl, imagemagick with its pango coder (in
# libmagickcore-6.q16-6-extra, a recommended package), fonts-dejavu-core.
# Writes screenshots/*.png (SCREENSHOT_DIR overrides).
# Not -e: the harness expects commands that may fail (tmux kill-session).
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" 2>/dev/null && pwd) || build=${1:-$src/build}
export PTRWIZ_SOURCE_DIR=$src
export PTRWIZ=${PTRWIZ:-$build/ptrwiz}
[ -d "$build/tests/labtools" ] && export LAB_TOOL_DIR=${LAB_TOOL_DIR:-$build/tests/labtools}
out=${SCREENSHOT_DIR:-$src/screenshots}
[ -x "$PTRWIZ" ] || {
        echo "screenshots.sh: no ptrwiz at $PTRWIZ (build first, or give the build dir)" >&2
        exit 2
}
for tool in tmux perl convert; do
        command -v "$tool" >/dev/null || {
                echo "screenshots.sh: $tool is missing (apt-get install tmux perl imagemagick)" >&2
                exit 2
        }
done

# Not a pipe into grep -q: with pipefail, convert may die of SIGPIPE.
formats=$(convert -list format 2>/dev/null)
grep -q '^ *PANGO' <<<"$formats" || {
        echo "screenshots.sh: ImageMagick has no pango coder (apt-get install libmagickcore-6.q16-6-extra)" >&2
        exit 2
}
fc-list 2>/dev/null | grep -q "DejaVu Sans Mono" || echo "screenshots.sh: no DejaVu Sans Mono (fonts-dejavu-core); another font stands in" >&2

# shellcheck source=../tests/tui/lib.sh
. "$src/tests/tui/lib.sh"
tui_in_lab "$@"
mkdir -p "$out" || exit 1

# ANSI (as tmux captures it) to Pango markup, padded to the terminal's width.
cat >"$TUI_DIR/ansi2pango.pl" <<'PERL'
use strict;
use warnings;
my $cols = shift // 80;
# Tango's palette, normal and bright, on a dark background.
my @pal = ('#2e3436', '#cc0000', '#4e9a06', '#c4a000', '#3465a4', '#75507b', '#06989a', '#d3d7cf',
           '#555753', '#ef2929', '#8ae234', '#fce94f', '#729fcf', '#ad7fa8', '#34e2e2', '#eeeeec');
my ($deffg, $defbg) = ('#d3d7cf', '#1d1f21');
binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';
my %st;
sub reset_st { %st = (fg => undef, bg => undef, bold => 0, dim => 0, rev => 0, ul => 0) }
sub colour {
        my $n = shift;
        return $pal[$n] if $n < 16;
        if ($n < 232) {
                $n -= 16;
                return sprintf('#%02x%02x%02x',
                        map { $_ ? 55 + 40 * $_ : 0 } (int($n / 36), int($n / 6) % 6, $n % 6));
        }
        my $g = 8 + 10 * ($n - 232);
        return sprintf('#%02x%02x%02x', $g, $g, $g);
}
sub sgr {
        my @p = split /;/, (length $_[0] ? $_[0] : '0');
        while (@p) {
                my $c = shift @p;
                if    ($c == 0)  { reset_st() }
                elsif ($c == 1)  { $st{bold} = 1 }
                elsif ($c == 2)  { $st{dim} = 1 }
                elsif ($c == 4)  { $st{ul} = 1 }
                elsif ($c == 7)  { $st{rev} = 1 }
                elsif ($c == 22) { $st{bold} = $st{dim} = 0 }
                elsif ($c == 24) { $st{ul} = 0 }
                elsif ($c == 27) { $st{rev} = 0 }
                elsif ($c >= 30 && $c <= 37)   { $st{fg} = $c - 30 }
                elsif ($c >= 90 && $c <= 97)   { $st{fg} = $c - 82 }
                elsif ($c == 39)               { $st{fg} = undef }
                elsif ($c >= 40 && $c <= 47)   { $st{bg} = $c - 40 }
                elsif ($c >= 100 && $c <= 107) { $st{bg} = $c - 92 }
                elsif ($c == 49)               { $st{bg} = undef }
                elsif (($c == 38 || $c == 48) && @p >= 2 && $p[0] == 5) {
                        shift @p;
                        $st{$c == 38 ? 'fg' : 'bg'} = shift(@p) + 0;
                }
        }
}
sub mix {
        my @x = map { hex } ($_[0] =~ /(..)(..)(..)$/);
        my @y = map { hex } ($_[1] =~ /(..)(..)(..)$/);
        return sprintf('#%02x%02x%02x', map { int(($x[$_] + $y[$_]) / 2) } 0 .. 2);
}
# Runs of the same look are joined: the markup goes on a command line.
my ($run_look, $run_text) = ('', '');
sub flush {
        my $r = length $run_text ? qq{<span $run_look>$run_text</span>} : '';
        ($run_look, $run_text) = ('', '');
        return $r;
}
sub text {
        my $t = shift;
        # Numeric entities: ImageMagick turns &lt; back into < before Pango.
        $t =~ s/([&<>])/sprintf('&#%d;', ord $1)/ge;
        my $fgi = $st{fg};
        $fgi += 8 if defined $fgi && $fgi < 8 && $st{bold};
        my $fg = defined $fgi ? colour($fgi) : ($st{bold} ? '#ffffff' : $deffg);
        my $bg = defined $st{bg} ? colour($st{bg}) : $defbg;
        ($fg, $bg) = ($bg, $fg) if $st{rev};
        $fg = mix($fg, $bg) if $st{dim};
        my $look = qq{foreground="$fg" background="$bg"};
        $look .= ' weight="bold"' if $st{bold};
        $look .= ' underline="single"' if $st{ul};
        my $r = $look eq $run_look ? '' : flush();
        $run_look = $look;
        $run_text .= $t;
        return $r;
}
reset_st();
my @rows;
while (my $line = <STDIN>) {
        chomp $line;
        my ($col, $row) = (0, '');
        while (length $line) {
                if ($line =~ s/^\e\[([0-9;]*)m//) { sgr($1); next }
                if ($line =~ s/^\e[^A-Za-z]*[A-Za-z]//) { next }
                $line =~ s/^([^\e]+)//;
                $col += length $1;
                $row .= text($1);
        }
        if ($col < $cols) { # pad plainly; tmux carries the look on to the next row
                my %keep = %st;
                reset_st();
                $row .= text(' ' x ($cols - $col));
                %st = %keep;
        }
        push @rows, $row . flush();
}
print qq{<span font_family="DejaVu Sans Mono" size="12288" line_height="0.92">},
        join("\n", @rows), '</span>';
PERL

# shot NAME: the screen as it is now, into $out/NAME.png.
shot() {
        local w markup
        w=$(T display -p -t w '#{pane_width}')
        T capture-pane -e -p -t w >"$TUI_DIR/$1.ansi"
        markup=$(perl "$TUI_DIR/ansi2pango.pl" "$w" <"$TUI_DIR/$1.ansi")
        convert -background '#1d1f21' pango:"$markup" -bordercolor '#1d1f21' -border 14 \
                -depth 8 "$out/$1.png" || exit 1
        echo "screenshots.sh: $out/$1.png"
}

# need REGEX: wait for the screen to show it, or stop with the screen.
need() {
        wait_for "$1" 30 || {
                echo "screenshots.sh: the wizard never showed /$1/:" >&2
                printf '%s\n' "$TUI_LAST" >&2
                exit 1
        }
}

W=100 H=32

# Step 1: a bounce pasted, read.
tui_wizard
need "Your text \(editing\)"
T load-buffer -b bounce "$src/tests/tui/bounce-lab.txt"
T paste-buffer -p -b bounce -t w
need "It is about reverse DNS"
keys Enter
need "Press Enter to check 198\.18\.1\.11"
shot step1-identify

# Step 2: no PTR at all.
keys Enter
need "Verdict: FAIL"
shot step2-ptr

keys q

# Step 5: 198.18.2.2 has no PTR; the lab gets the fix (the PTR and its A
# record); testing again shows what changed and how long caches may still
# say "no such name".
tui_wizard 198.18.2.2
need "Verdict: FAIL"
keys Enter Enter Enter
need "FAIL: receivers will still reject"
lab_fix_198_18_2_2
# NSD reloads in the background: test again until the fix shows.
for try in 1 2 3 4 5; do
        keys Enter
        wait_for "PTR: NXDOMAIN -> fixed" 5 && break
done
need "PTR: NXDOMAIN -> fixed"
shot step5-test-again
keys q

# Step 3: the PTR name points elsewhere.
tui_wizard 198.18.1.13
need "Verdict: PASS, the PTR"
keys Enter
need "resolves to 198\.18\.1\.99, not to"
shot step3-match-a

# Step 4: a delegation with a server that never answers.
tui_wizard --timeout 2000 198.18.4.1
need "Verdict: FAIL"
keys Enter Enter
need "Verdict: FAIL, the delegation is broken"
shot step4-trace
keys q

# The trace and the breakdown panes, full size, for an RFC 2317 delegation.
tui_wizard 198.18.2.70
need "Verdict: PASS, the PTR"
keys Enter Enter
need "Verdict: PASS, every server"
keys Tab z
need "─ Trace ─"
keys g
shot trace-pane
keys z Tab z
need "─ Breakdown of the name ─"
need "The CNAME hop \(RFC 2317\)"
shot breakdown-pane
keys q

# The breakdown of an IPv6 address.
tui_wizard 3fff:0:0:1::10
need "Verdict: PASS, the PTR"
keys Tab z
need "─ Breakdown of the name ─"
shot breakdown-ipv6
keys z '?'
need "Help: step 2"
shot help
keys q

# The helpdesk: the message for the reverse zone's operator, from a bounce.
W=120 H=40 tui_wizard --bounce "$src/tests/tui/bounce-lab.txt"
need "It is about reverse DNS"
keys Enter
need "Verdict: FAIL"
keys z
# scroll until the message's heading is the pane's first line
for _ in $(seq 80); do
        tui_screen | sed -n 3p | grep -q "A message for the operator" && break
        keys j
        sleep 0.05
done
need "IN PTR mail\.example\.net\."
shot ticket
keys q

# The admin: where the PTR was made (198.18.10.1: at a provider the zone
# is not delegated to).
W=120 H=40 tui_wizard 198.18.10.1
need "Where did you create the PTR"
keys d
need "Its name servers"
keys -l "dnsprovider.example.org"
shot where-question
keys Enter
need "You created it at ns1\.dnsprovider"
keys Enter Enter
need "not to ns1\.dnsprovider"
shot where-answer
keys q

# The smallest size it is made for.
W=80 H=24 tui_wizard 198.18.1.11
need "Verdict: FAIL"
shot wizard-80x24
keys q
