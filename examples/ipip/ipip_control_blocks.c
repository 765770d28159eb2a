/* ipip control blocks: written by hand in the shape p4c-pna-p4tc generates. */
#include "ipip_parser.h"

struct p4tc_filter_fields p4tc_filter_fields;

struct internal_metadata {
    __u16 pkt_ether_type;
} __attribute__((aligned(4)));

struct skb_aggregate {
    struct p4tc_skb_meta_get get;
    struct p4tc_skb_meta_set set;
};

struct __attribute__((__packed__)) Main_fwd_table_key {
    u32 keysz;
    u32 maskid;
    u32 field0; /* istd.input_port */
} __attribute__((aligned(8)));
#define MAIN_FWD_TABLE_ACT_MAIN_SET_IPIP 1
#define MAIN_FWD_TABLE_ACT_MAIN_SET_NH 2
#define MAIN_FWD_TABLE_ACT_MAIN_DROP 3
#define MAIN_FWD_TABLE_ACT_NOACTION 0
struct __attribute__((__packed__)) Main_fwd_table_value {
    unsigned int action;
    u32 hit:1,
    is_default_miss_act:1,
    is_default_hit_act:1;
    union {
        struct {
        } _NoAction;
        struct __attribute__((__packed__)) {
            u32 src;
            u32 dst;
            u32 port;
        } Main_set_ipip;
        struct __attribute__((__packed__)) {
            u8 dmac[6];
            u32 port;
        } Main_set_nh;
        struct {
        } Main_drop;
    } u;
};

static __always_inline int process(struct __sk_buff *skb, struct headers_t *hdr, struct pna_global_metadata *compiler_meta__, struct skb_aggregate *sa)
{
    struct hdr_md *hdrMd;

    unsigned ebpf_packetOffsetInBits = 0;
    unsigned ebpf_packetOffsetInBits_save = 0;
    ParserError_t ebpf_errorCode = NoError;
    void* pkt = ((void*)(long)skb->data);
    u8* hdr_start = pkt;
    void* ebpf_packetEnd = ((void*)(long)skb->data_end);
    u32 ebpf_zero = 0;
    u32 ebpf_one = 1;
    unsigned char ebpf_byte;
    u32 pkt_len = skb->len;

    struct metadata_t *meta;
    hdrMd = BPF_MAP_LOOKUP_ELEM(hdr_md_cpumap, &ebpf_zero);
    if (!hdrMd)
        return TC_ACT_SHOT;
    hdr = &(hdrMd->cpumap_hdr);
    meta = &(hdrMd->cpumap_usermeta);
    hdr_start = pkt + BYTES(hdrMd->ebpf_packetOffsetInBits);
    {
        u8 hit;
        {
if (/* hdr->outer.isValid() */
            hdr->outer.ebpf_valid) {
                /* fwd_table.apply() */
                {
                    /* construct key */
                    struct p4tc_table_entry_act_bpf_params__local params = {
                        .pipeid = p4tc_filter_fields.pipeid,
                        .tblid = 1
                    };
                    struct Main_fwd_table_key key;
                    __builtin_memset(&key, 0, sizeof(key));
                    key.keysz = 32;
                    key.field0 = skb->ifindex;
                    struct p4tc_table_entry_act_bpf *act_bpf;
                    /* value */
                    struct Main_fwd_table_value *value = NULL;
                    /* perform lookup */
                    act_bpf = bpf_p4tc_tbl_read(skb, &params, sizeof(params), &key, sizeof(key));
                    value = (struct Main_fwd_table_value *)act_bpf;
                    if (value == NULL) {
                        /* miss; find default action */
                        hit = 0;
                    } else {
                        hit = value->hit;
                    }
                    if (value != NULL) {
                        /* run action */
                        switch (value->action) {
                            case MAIN_FWD_TABLE_ACT_MAIN_SET_IPIP: 
                                {
                                    meta->src = value->u.Main_set_ipip.src;
                                    meta->dst = value->u.Main_set_ipip.dst;
                                    meta->push = true;
                                    /* send_to_port(value->u.Main_set_ipip.port) */
                                    compiler_meta__->drop = false;
                                    send_to_port(value->u.Main_set_ipip.port);
                                }
                                break;
                            case MAIN_FWD_TABLE_ACT_MAIN_SET_NH: 
                                {
                                    __builtin_memcpy(&hdr->ethernet.dstAddr, value->u.Main_set_nh.dmac, 6);
                                    /* send_to_port(value->u.Main_set_nh.port) */
                                    compiler_meta__->drop = false;
                                    send_to_port(value->u.Main_set_nh.port);
                                }
                                break;
                            case MAIN_FWD_TABLE_ACT_MAIN_DROP: 
                                {
                                    drop_packet();
                                }
                                break;
                            case MAIN_FWD_TABLE_ACT_NOACTION: 
                                {
                                }
                                break;
                        }
                    } else {
                    }
                }
                if (/* hdr->inner.isValid() */
                hdr->inner.ebpf_valid) {
                    hdr->outer.ebpf_valid = false;
                }

            }
        }
    }
    {
        struct p4tc_ext_csum_params chk_state = {};
{
if (meta->push && /* hdr->outer.isValid() */
            hdr->outer.ebpf_valid) {
                hdr->inner = hdr->outer;
                hdr->outer.srcAddr = meta->src;
                hdr->outer.dstAddr = meta->dst;
                hdr->outer.ttl = 64;
                hdr->outer.protocol = 4;
                hdr->outer.totalLen = (hdr->outer.totalLen + 20);
                hdr->outer.hdrChecksum = 0;
                bpf_p4tc_ext_csum_16bit_complement_clear(&chk_state, sizeof(chk_state));
                {
                    u16 chk_tmp_1 = 0;
                    chk_tmp_1 = (u16)((hdr->outer.version << 12) | (hdr->outer.ihl << 8) | hdr->outer.diffserv);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_1, sizeof(chk_tmp_1));
                }
                {
                    u16 chk_tmp_2 = 0;
                    chk_tmp_2 = (u16)(hdr->outer.totalLen);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_2, sizeof(chk_tmp_2));
                }
                {
                    u16 chk_tmp_3 = 0;
                    chk_tmp_3 = (u16)(hdr->outer.identification);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_3, sizeof(chk_tmp_3));
                }
                {
                    u16 chk_tmp_4 = 0;
                    chk_tmp_4 = (u16)((hdr->outer.flags << 13) | hdr->outer.fragOffset);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_4, sizeof(chk_tmp_4));
                }
                {
                    u16 chk_tmp_5 = 0;
                    chk_tmp_5 = (u16)((hdr->outer.ttl << 8) | hdr->outer.protocol);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_5, sizeof(chk_tmp_5));
                }
                {
                    u16 chk_tmp_6 = 0;
                    chk_tmp_6 = (u16)(bpf_ntohl(hdr->outer.srcAddr) >> 16);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_6, sizeof(chk_tmp_6));
                }
                {
                    u16 chk_tmp_7 = 0;
                    chk_tmp_7 = (u16)(bpf_ntohl(hdr->outer.srcAddr));
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_7, sizeof(chk_tmp_7));
                }
                {
                    u16 chk_tmp_8 = 0;
                    chk_tmp_8 = (u16)(bpf_ntohl(hdr->outer.dstAddr) >> 16);
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_8, sizeof(chk_tmp_8));
                }
                {
                    u16 chk_tmp_9 = 0;
                    chk_tmp_9 = (u16)(bpf_ntohl(hdr->outer.dstAddr));
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_9, sizeof(chk_tmp_9));
                }
                hdr->outer.hdrChecksum = bpf_p4tc_ext_csum_16bit_complement_get(&chk_state, sizeof(chk_state));
                bpf_p4tc_ext_csum_16bit_complement_clear(&chk_state, sizeof(chk_state));
                bpf_p4tc_ext_csum_16bit_complement_set_state(&chk_state, sizeof(chk_state), (u16)~hdr->inner.hdrChecksum);
                {
                    u16 chk_tmp = 0;
                    chk_tmp = (hdr->inner.ttl << 8) | hdr->inner.protocol;
                    bpf_p4tc_ext_csum_16bit_complement_sub(&chk_state, sizeof(chk_state), &chk_tmp, sizeof(chk_tmp));
                }
                hdr->inner.ttl = (hdr->inner.ttl + 255);
                {
                    u16 chk_tmp_0 = 0;
                    chk_tmp_0 = (hdr->inner.ttl << 8) | hdr->inner.protocol;
                    bpf_p4tc_ext_csum_16bit_complement_add(&chk_state, sizeof(chk_state), &chk_tmp_0, sizeof(chk_tmp_0));
                }
                hdr->inner.hdrChecksum = bpf_p4tc_ext_csum_16bit_complement_get(&chk_state, sizeof(chk_state));
            }

            ;
            ;
        }

        if (compiler_meta__->drop) {
            return TC_ACT_SHOT;
        }
        int outHeaderLength = 0;
        if (hdr->ethernet.ebpf_valid) {
            outHeaderLength += 112;
        }
        if (hdr->outer.ebpf_valid) {
            outHeaderLength += 160;
        }
        if (hdr->inner.ebpf_valid) {
            outHeaderLength += 160;
        }
        __u16 saved_proto = 0;
        bool have_saved_proto = false;
        // bpf_skb_adjust_room works only when protocol is IPv4 or IPv6
        // 0x0800 = IPv4, 0x86dd = IPv6
        if ((skb->protocol != bpf_htons(0x0800)) && (skb->protocol != bpf_htons(0x86dd))) {
            saved_proto = skb->protocol;
            have_saved_proto = true;
            bpf_p4tc_skb_set_protocol(skb, &sa->set, bpf_htons(0x0800));
            bpf_p4tc_skb_meta_set(skb, &sa->set, sizeof(sa->set));
        }
        ;

        int outHeaderOffset = BYTES(outHeaderLength) - (hdr_start - (u8*)pkt);
        if (outHeaderOffset != 0) {
            int returnCode = 0;
            returnCode = bpf_skb_adjust_room(skb, outHeaderOffset, 1, 0);
            if (returnCode) {
                return TC_ACT_SHOT;
            }
        }

        if (have_saved_proto) {
            bpf_p4tc_skb_set_protocol(skb, &sa->set, saved_proto);
            bpf_p4tc_skb_meta_set(skb, &sa->set, sizeof(sa->set));
        }

        pkt = ((void*)(long)skb->data);
        ebpf_packetEnd = ((void*)(long)skb->data_end);
        ebpf_packetOffsetInBits = 0;
        if (hdr->ethernet.ebpf_valid) {
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 112)) {
                return TC_ACT_SHOT;
            }

            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[4];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 4, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.dstAddr))[5];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 5, (ebpf_byte));
            ebpf_packetOffsetInBits += 48;

            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[4];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 4, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.srcAddr))[5];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 5, (ebpf_byte));
            ebpf_packetOffsetInBits += 48;

            hdr->ethernet.etherType = bpf_htons(hdr->ethernet.etherType);
            ebpf_byte = ((char*)(&hdr->ethernet.etherType))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->ethernet.etherType))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

        }
        if (hdr->outer.ebpf_valid) {
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 160)) {
                return TC_ACT_SHOT;
            }

            ebpf_byte = ((char*)(&hdr->outer.version))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 4, 4, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 4;

            ebpf_byte = ((char*)(&hdr->outer.ihl))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 4, 0, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 4;

            ebpf_byte = ((char*)(&hdr->outer.diffserv))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            hdr->outer.totalLen = bpf_htons(hdr->outer.totalLen);
            ebpf_byte = ((char*)(&hdr->outer.totalLen))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.totalLen))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            hdr->outer.identification = bpf_htons(hdr->outer.identification);
            ebpf_byte = ((char*)(&hdr->outer.identification))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.identification))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            ebpf_byte = ((char*)(&hdr->outer.flags))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 3, 5, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 3;

            hdr->outer.fragOffset = bpf_htons(hdr->outer.fragOffset << 3);
            ebpf_byte = ((char*)(&hdr->outer.fragOffset))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 5, 0, (ebpf_byte >> 3));
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0 + 1, 3, 5, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.fragOffset))[1];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 1, 5, 0, (ebpf_byte >> 3));
            ebpf_packetOffsetInBits += 13;

            ebpf_byte = ((char*)(&hdr->outer.ttl))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            ebpf_byte = ((char*)(&hdr->outer.protocol))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            hdr->outer.hdrChecksum = bpf_htons(hdr->outer.hdrChecksum);
            ebpf_byte = ((char*)(&hdr->outer.hdrChecksum))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.hdrChecksum))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            ebpf_byte = ((char*)(&hdr->outer.srcAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.srcAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.srcAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.srcAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_packetOffsetInBits += 32;

            ebpf_byte = ((char*)(&hdr->outer.dstAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.dstAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.dstAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->outer.dstAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_packetOffsetInBits += 32;

        }
        if (hdr->inner.ebpf_valid) {
            if ((u8*)ebpf_packetEnd < (u8*)pkt + BYTES(ebpf_packetOffsetInBits + 160)) {
                return TC_ACT_SHOT;
            }

            ebpf_byte = ((char*)(&hdr->inner.version))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 4, 4, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 4;

            ebpf_byte = ((char*)(&hdr->inner.ihl))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 4, 0, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 4;

            ebpf_byte = ((char*)(&hdr->inner.diffserv))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            hdr->inner.totalLen = bpf_htons(hdr->inner.totalLen);
            ebpf_byte = ((char*)(&hdr->inner.totalLen))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.totalLen))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            hdr->inner.identification = bpf_htons(hdr->inner.identification);
            ebpf_byte = ((char*)(&hdr->inner.identification))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.identification))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            ebpf_byte = ((char*)(&hdr->inner.flags))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 3, 5, (ebpf_byte >> 0));
            ebpf_packetOffsetInBits += 3;

            hdr->inner.fragOffset = bpf_htons(hdr->inner.fragOffset << 3);
            ebpf_byte = ((char*)(&hdr->inner.fragOffset))[0];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0, 5, 0, (ebpf_byte >> 3));
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 0 + 1, 3, 5, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.fragOffset))[1];
            write_partial(pkt + BYTES(ebpf_packetOffsetInBits) + 1, 5, 0, (ebpf_byte >> 3));
            ebpf_packetOffsetInBits += 13;

            ebpf_byte = ((char*)(&hdr->inner.ttl))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            ebpf_byte = ((char*)(&hdr->inner.protocol))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_packetOffsetInBits += 8;

            hdr->inner.hdrChecksum = bpf_htons(hdr->inner.hdrChecksum);
            ebpf_byte = ((char*)(&hdr->inner.hdrChecksum))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.hdrChecksum))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_packetOffsetInBits += 16;

            ebpf_byte = ((char*)(&hdr->inner.srcAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.srcAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.srcAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.srcAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_packetOffsetInBits += 32;

            ebpf_byte = ((char*)(&hdr->inner.dstAddr))[0];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 0, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.dstAddr))[1];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 1, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.dstAddr))[2];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 2, (ebpf_byte));
            ebpf_byte = ((char*)(&hdr->inner.dstAddr))[3];
            write_byte(pkt, BYTES(ebpf_packetOffsetInBits) + 3, (ebpf_byte));
            ebpf_packetOffsetInBits += 32;

        }
    }
    return -1;
}

SEC("p4tc/main")
int tc_ingress_func(struct __sk_buff *skb) {
    struct skb_aggregate skbstuff;
    struct pna_global_metadata *compiler_meta__ = (struct pna_global_metadata *) skb->cb;
    compiler_meta__->drop = false;
    compiler_meta__->recirculate = false;
    compiler_meta__->egress_port = 0;
    if (!compiler_meta__->recirculated) {
        compiler_meta__->mark = 153;
        struct internal_metadata *md = (struct internal_metadata *)(unsigned long)skb->data_meta;
        if ((void *) ((struct internal_metadata *) md + 1) <= (void *)(long)skb->data) {
            __u16 *ether_type = (__u16 *) ((void *) (long)skb->data + 12);
            if ((void *) ((__u16 *) ether_type + 1) > (void *) (long) skb->data_end) {
                return TC_ACT_SHOT;
            }
            *ether_type = md->pkt_ether_type;
        }
    }
    struct hdr_md *hdrMd;
    struct headers_t *hdr;
    int ret = -1;
    ret = process(skb, (struct headers_t *) hdr, compiler_meta__, &skbstuff);
    if (ret != -1) {
        return ret;
    }
    if (!compiler_meta__->drop && compiler_meta__->recirculate) {
        compiler_meta__->recirculated = true;
        return TC_ACT_UNSPEC;
    }
    if (!compiler_meta__->drop && compiler_meta__->egress_port == 0)
        return TC_ACT_OK;
    return bpf_redirect(compiler_meta__->egress_port, 0);
}

char _license[] SEC("license") = "GPL";
