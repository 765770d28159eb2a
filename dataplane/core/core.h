/* SPDX-License-Identifier: BSD-3-Clause */
/* Private glue between the core modules (pool, ports, engine). */
#ifndef P4X_CORE_PRIV_H
#define P4X_CORE_PRIV_H

#include "p4x/pkt.h"

/*
 * The slot where the AF_XDP ports keep the pool's shared UMEM (NULL until
 * the first AF_XDP port opens). Touched only by port constructors and
 * close(), on the control thread.
 */
void **p4x_pool__umem_slot(struct p4x_pool *pool);

/* Pointer to the byte at offset @addr of the pool area. */
static inline uint8_t *p4x_pool__ptr(const struct p4x_pool *pool, uint64_t addr)
{
	return (uint8_t *)p4x_pool__area(pool) + addr;
}

#endif /* P4X_CORE_PRIV_H */
