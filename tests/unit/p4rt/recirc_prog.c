// SPDX-License-Identifier: BSD-3-Clause
/*
 * Test fixture: a program object with the entry points and globals of a
 * generated one, whose main asks for recirculation the way p4c's
 * traffic-manager code does (recirculate set, TC_ACT_UNSPEC after
 * setting recirculated). Byte 0 of the frame says how many passes to
 * make before sending the packet to ifindex 2 (0xff: always recirculate);
 * byte 1 counts the passes parse saw.
 */
#include "ebpf_kernel.h"
#include "pna.h"

struct p4tc_filter_fields {
	__u32 pipeid, handle, classid, chain, blockid;
	__be16 proto;
	__u16 prio;
} p4tc_filter_fields;

SEC("p4tc/parse")
int tc_parse_func(struct __sk_buff *skb)
{
	u8 *pkt = (void *)(long)skb->data;

	if ((void *)(pkt + 2) > (void *)(long)skb->data_end)
		return TC_ACT_SHOT;
	pkt[1]++;
	return TC_ACT_PIPE;
}

SEC("p4tc/main")
int tc_ingress_func(struct __sk_buff *skb)
{
	struct pna_global_metadata *compiler_meta__ = (void *)skb->cb;
	u8 *pkt = (void *)(long)skb->data;

	compiler_meta__->drop = false;
	compiler_meta__->recirculate = pkt[0] == 0xff || pkt[1] <= pkt[0];
	compiler_meta__->egress_port = 0;
	send_to_port(2);
	if (!compiler_meta__->drop && compiler_meta__->recirculate) {
		compiler_meta__->recirculated = true;
		return TC_ACT_UNSPEC;
	}
	return bpf_redirect(compiler_meta__->egress_port, 0);
}

char _license[] SEC("license") = "GPL";
