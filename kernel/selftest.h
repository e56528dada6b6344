/* selftest.h - deliberate failures for boot tests ("selftest=NAME" on the command line):
 * each must end in a named panic, never a hang or a reboot loop. */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

/* selftest_run - run test @name: null-deref, stack-overflow, invalid-opcode, panic.
 * Those do not return; an unknown name prints the list and returns. */
void selftest_run(const char *name);

#endif
