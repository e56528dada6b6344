/* fortify.c - the checks glibc's _FORTIFY_SOURCE builds call: __fdelt_chk, FD_SET's
 * bounds check, which ends the program on a descriptor outside an fd_set as glibc does
 * ("buffer overflow detected"). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>

#include "kernel/kernel.h"

long __fdelt_chk(long fd)
{
	if (fd < 0 || fd >= FD_SETSIZE) {
		kprintf("*** buffer overflow detected ***: terminated (descriptor %ld outside an "
		        "fd_set)\n",
		        fd);
		abort();
	}
	return fd / (8 * (long)sizeof(fd_mask));
}
