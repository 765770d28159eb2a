/* SPDX-License-Identifier: BSD-3-Clause */
/* Counter slots of p4x-sink, shared by sink.bpf.c and sink.c. */
#ifndef P4X_BENCH_SINK_H
#define P4X_BENCH_SINK_H

enum p4x_sink_slot {
	P4X_SINK_GOOD,	/* destination MAC is the sink's: forwarded for us */
	P4X_SINK_OTHER, /* anything else */
	P4X_SINK_NR,
};

#endif /* P4X_BENCH_SINK_H */
