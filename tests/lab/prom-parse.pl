#!/usr/bin/perl
# A strict reader of the Prometheus text exposition format (version 0.0.4),
# for the tests: every line is HELP, TYPE or a sample; names and label
# values as the format defines them; one TYPE and HELP per family, before
# its samples; a family's samples together; no series twice. Prints
# "family{labels} value" per sample, or "error: LINE: why" and exits 1.
use strict;
use warnings;

my $name_re = qr/[a-zA-Z_:][a-zA-Z0-9_:]*/;
my $label_re = qr/[a-zA-Z_][a-zA-Z0-9_]*/;
my $value_re = qr/(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)/;
my (%type, %help, %done, %series, $current);
my $n = 0;

sub fail { print "error: $n: $_[0]\n"; exit 1; }

sub family_of {
        my ($metric) = @_;
        return $metric if exists $type{$metric};
        for my $s (qw(_bucket _sum _count _total)) {
                (my $base = $metric) =~ s/\Q$s\E$//;
                return $base if $base ne $metric && exists $type{$base};
        }
        return $metric;
}

sub enter {
        my ($fam) = @_;
        return if defined $current && $current eq $fam;
        fail("samples of $fam are not together") if $done{$fam};
        $done{$current} = 1 if defined $current;
        $current = $fam;
}

while (my $line = <STDIN>) {
        $n++;
        fail("no newline at the end") unless $line =~ s/\n\z//;
        fail("carriage return") if $line =~ /\r/;
        next if $line eq '';
        if ($line =~ /^#\s*(HELP|TYPE)\s+($name_re)(?:\s+(.*))?$/) {
                my ($kind, $fam, $rest) = ($1, $2, $3 // '');
                if ($kind eq 'TYPE') {
                        fail("second TYPE for $fam") if exists $type{$fam};
                        fail("TYPE after samples of $fam") if $done{$fam} || (defined $current && $current eq $fam);
                        fail("bad type '$rest'") unless $rest =~ /^(counter|gauge|histogram|summary|untyped)$/;
                        $type{$fam} = $rest;
                } else {
                        fail("second HELP for $fam") if exists $help{$fam};
                        fail("bad escape in HELP") if $rest =~ /\\(?![\\n])/;
                        $help{$fam} = $rest;
                }
                next;
        }
        next if $line =~ /^#/;    # a comment
        fail("not a sample: $line") unless $line =~ /^($name_re)(\{.*\})?\s+($value_re)(?:\s+(-?[0-9]+))?$/;
        my ($metric, $labels, $value) = ($1, $2 // '', $3);
        my @pairs;
        if ($labels ne '') {
                my $l = substr($labels, 1, -1);
                while ($l ne '') {
                        $l =~ s/^($label_re)="((?:[^"\\\n]|\\[\\"n])*)"// or fail("bad label in $labels");
                        push @pairs, "$1=\"$2\"";
                        last if $l eq '';
                        $l =~ s/^,// or fail("no comma between labels in $labels");
                }
        }
        my %seen;
        for (@pairs) { my ($k) = /^([^=]+)/; fail("label $k twice") if $seen{$k}++; }
        my $key = $metric . '{' . join(',', sort @pairs) . '}';
        fail("series twice: $key") if $series{$key}++;
        enter(family_of($metric));
        print "$metric\{" . join(',', @pairs) . "} $value\n";
}
exit 0;
