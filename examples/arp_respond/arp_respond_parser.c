/* arp_respond parser: written by hand in the shape p4c-pna-p4tc generates. */
#include "arp_respond_parser.h"

struct p4tc_filter_fields p4tc_filter_fields;

static __always_inline int run_parser(struct __sk_buff *skb, struct my_ingress_headers_t *hdr, struct pna_global_metadata *compiler_meta__)
{
    void *pkt = ((void*)(long)skb->data);
    u8* hdr_start = pkt;
    void *ebpf_packetEnd = ((void*)(long)skb->data_end);
    u32 ebpf_zero = 0;
    u32 ebpf_one = 1;
    unsigned char ebpf_byte;
    u32 pkt_len = skb->len;

    struct my_ingress_metadata_t *meta;
    struct hdr_md *hdrMd;

    hdrMd = BPF_MAP_LOOKUP_ELEM(hdr_md_cpumap, &ebpf_zero);
    if (!hdrMd)
        return TC_ACT_SHOT;
    __builtin_memset(hdrMd, 0, sizeof(struct hdr_md));

    unsigned ebpf_packetOffsetInBits = 0;
    hdr = &(hdrMd->cpumap_hdr);
    meta = &(hdrMd->cpumap_usermeta);
    {
        goto start;
        parse_arp: {
            /* extract(hdr->arp) */
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 64 + 0)) {
                compiler_meta__->parser_error = PacketTooShort;
                goto accept;
            }

            hdr->arp.htype = (u16)((load_half(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 16;

            hdr->arp.ptype = (u16)((load_half(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 16;

            hdr->arp.hlen = (u8)((load_byte(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 8;

            hdr->arp.plen = (u8)((load_byte(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 8;

            hdr->arp.oper = (u16)((load_half(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 16;

            hdr->arp.ebpf_valid = 1;
            hdr_start += BYTES(64);
            /* extract(hdr->arp_ipv4) */
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 160 + 0)) {
                compiler_meta__->parser_error = PacketTooShort;
                goto accept;
            }

            __builtin_memcpy(&hdr->arp_ipv4.sha, pkt + BYTES(ebpf_packetOffsetInBits), 6);
            ebpf_packetOffsetInBits += 48;

            __builtin_memcpy(&hdr->arp_ipv4.spa, pkt + BYTES(ebpf_packetOffsetInBits), 4);
            ebpf_packetOffsetInBits += 32;

            __builtin_memcpy(&hdr->arp_ipv4.tha, pkt + BYTES(ebpf_packetOffsetInBits), 6);
            ebpf_packetOffsetInBits += 48;

            __builtin_memcpy(&hdr->arp_ipv4.tpa, pkt + BYTES(ebpf_packetOffsetInBits), 4);
            ebpf_packetOffsetInBits += 32;

            hdr->arp_ipv4.ebpf_valid = 1;
            hdr_start += BYTES(160);
;
             u16 select_1;
            select_1 = hdr->arp.oper;
            if (select_1 == 0x1)goto accept;
            if ((select_1 & 0x0) == (0x0 & 0x0))goto reject;
            else goto reject;
        }
        start: {
            goto parse_ethernet;
        }
        parse_ethernet: {
            /* extract(hdr->ethernet) */
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 112 + 0)) {
                compiler_meta__->parser_error = PacketTooShort;
                goto accept;
            }

            __builtin_memcpy(&hdr->ethernet.dstAddr, pkt + BYTES(ebpf_packetOffsetInBits), 6);
            ebpf_packetOffsetInBits += 48;

            __builtin_memcpy(&hdr->ethernet.srcAddr, pkt + BYTES(ebpf_packetOffsetInBits), 6);
            ebpf_packetOffsetInBits += 48;

            hdr->ethernet.etherType = (u16)((load_half(pkt, BYTES(ebpf_packetOffsetInBits))));
            ebpf_packetOffsetInBits += 16;

            hdr->ethernet.ebpf_valid = 1;
            hdr_start += BYTES(112);
;
             u16 select_0;
            select_0 = hdr->ethernet.etherType;
            if (select_0 == 0x806)goto parse_arp;
            if ((select_0 & 0x0) == (0x0 & 0x0))goto accept;
            else goto reject;
        }

        reject: {
            if (compiler_meta__->parser_error == 0) {
                return TC_ACT_SHOT;
            }
            goto accept;
        }

    }

    accept:
    hdrMd->ebpf_packetOffsetInBits = ebpf_packetOffsetInBits;
    return -1;
}

SEC("p4tc/parse")
int tc_parse_func(struct __sk_buff *skb) {
    struct pna_global_metadata *compiler_meta__ = (struct pna_global_metadata *) skb->cb;
    struct hdr_md *hdrMd;
    struct my_ingress_headers_t *hdr;
    int ret = -1;
    ret = run_parser(skb, (struct my_ingress_headers_t *) hdr, compiler_meta__);
    if (ret != -1) {
        return ret;
    }
    return TC_ACT_PIPE;
}

char _license[] SEC("license") = "GPL";
