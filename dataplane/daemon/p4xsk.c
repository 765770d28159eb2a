// SPDX-License-Identifier: BSD-3-Clause
/* p4xsk: the control CLI of p4xskd. See `p4xsk --help`, docs/control.md. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return p4xsk_main(argc, argv, stdout, stderr);
}
