/* SPDX-License-Identifier: BSD-3-Clause */
/* XDP metadata computed in C (see meta_parse.c). */
#ifndef P4X_META_PARSE_H
#define P4X_META_PARSE_H

#include <stdint.h>

#include "p4x/xdp_meta.h"

/* Fill @m for the @len bytes at @data; magic 0 when not parseable. */
void p4x_meta_parse(const uint8_t *data, uint32_t len, uint32_t rx_queue,
		    struct p4x_xdp_meta *m);

#endif /* P4X_META_PARSE_H */
