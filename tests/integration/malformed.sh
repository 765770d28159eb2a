#!/usr/bin/env bash
# Malformed packets sent from h1 are dropped by the XDP program and counted
# by reason; valid traffic keeps flowing.
. "$(dirname "$0")/lib.sh" "$1" p4xi-bad-

topo_create 1
check "p4xskd starts" topo_start_daemon "$SOCK"
tx_before=$(port_field dp1 .counters.tx_packets)

in_h1 /usr/bin/python3 - "$TOPO_DP0_MAC" "$TOPO_H1_MAC" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, UDP, Raw, sendp, conf
conf.verb = 0
dst, src = sys.argv[1], sys.argv[2]
eth = Ether(dst=dst, src=src)
good_ip = bytes(IP(src="10.11.0.1", dst="10.11.0.2") / UDP(dport=9) / Raw(b"x" * 18))
bad = {
    # IHL 3: below the minimum of 5 words.
    "ipv4_bad_ihl": bytes([0x43]) + good_ip[1:],
    # Version 6 inside an IPv4 ethertype.
    "ipv4_bad_version": bytes([0x65]) + good_ip[1:],
    # Only 10 bytes of IPv4 header.
    "ipv4_truncated": good_ip[:10],
    # TCP header cut after 8 bytes.
    "l4_truncated": bytes(IP(src="10.11.0.1", dst="10.11.0.2", proto=6))[:20] + b"\0" * 8,
}
for name, payload in bad.items():
    frame = bytes(eth / Raw(b"")) [:12] + b"\x08\x00" + payload
    sendp(frame, iface="eth0", count=5)
PY
for reason in ipv4_bad_ihl ipv4_bad_version ipv4_truncated l4_truncated; do
	expect_ge "XDP drop reason $reason on dp0" \
		"$(port_field dp0 ".xdp_drops.$reason")" 5
done
expect_eq "no malformed packet reached h2's side" \
	"$(port_field dp1 .counters.tx_packets)" "$tx_before"
expect_eq "valid UDP still flows" "$(udp_through h1 $TOPO_H2_IP 500)" 500
int_done
