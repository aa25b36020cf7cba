# shellcheck shell=bash
# lab_fix_ptr LAST NAME: the fix of 198.18.2.LAST (no PTR in the lab), as a
# provider would make it: PTR NAME.example.com. and that name's A record,
# new serials, NSD reloads (in the background: callers test again until
# the fix shows). For tests that run inside the lab (LAB_DIR set).
lab_fix_ptr() {
        local zones=$LAB_DIR/zones id f
        for f in 2.18.198.in-addr.arpa example.com; do
                # The SOA is the zone file's third line (zones.sh new_zone).
                awk 'NR == 3 && $4 == "SOA" { $7 = $7 + 1 } { print }' "$zones/$f.zone" \
                        >"$zones/$f.zone.new" && mv "$zones/$f.zone.new" "$zones/$f.zone"
        done
        echo "$1 PTR $2.example.com." >>"$zones/2.18.198.in-addr.arpa.zone"
        echo "$2 A 198.18.2.$1" >>"$zones/example.com.zone"
        for id in rdns1 rdns2 example-com; do
                kill -HUP "$(cat "$LAB_DIR/run/nsd-$id.pid")"
        done
}
