/* start.c - process start for an application port: argv and envp from the kernel command
 * line, constructors, main(), and exit with its status (kernel/app.h's app_run).
 *
 * Command line: words after a lone "--" are the program's arguments; KEY=value words
 * before it that the kernel does not own become the environment. Without "--" every word
 * is an argument. The port's default command line (PORT_CMDLINE) applies when the VMM
 * passes none. mount= options mount disks before anything runs (posix/disk/mount.c). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "posix/disk/disk.h"
#include "posix/fs/files.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

/* Generated per port by posix/posix.mk (build/<port>/port_info.c). */
extern const char vmos_port_name[];
extern const char vmos_port_cmdline[];

int main(int argc, char **argv, char **envp);
void __libc_init_array(void);

const char *posix_program_name = vmos_port_name;
char *program_invocation_name;
char *program_invocation_short_name;

/* Kernel options: never passed on to the program's environment. */
static const char *const kernel_keys[] = {"bootstats", "selftest", "exit", "ip",
                                          "dns",       "mount",    NULL};

static char *argv_store[CMDLINE_MAX_WORDS + 2];
static char *envp_store[CMDLINE_MAX_WORDS + 1];
extern char **environ;

/* The argument and environment strings, one after the other as Linux lays them out on
 * the new process's stack: writable (C requires argv's strings to be, and programs that
 * set their process title write over them) and contiguous (setproctitle-style code
 * measures the room from argv[0] to the end of the last environment string). */
static char string_area[CMDLINE_MAX_BYTES + 256];
static size_t string_used;

static char *copy_string(const char *s)
{
	size_t len = strlen(s) + 1;
	char *copy = string_area + string_used;

	if (len > sizeof(string_area) - string_used)
		return (char *)s; /* cannot happen: the words come from one command line */
	memcpy(copy, s, len);
	string_used += len;
	return copy;
}

static int is_kernel_key(const char *word)
{
	size_t len = strcspn(word, "=");

	for (int i = 0; kernel_keys[i]; i++)
		if (strlen(kernel_keys[i]) == len && !strncmp(word, kernel_keys[i], len))
			return 1;
	return 0;
}

/* Whether an option word asks for a mount (posix/disk/mount.c reads them). */
static bool has_mount_option(const struct cmdline *cl)
{
	int options = cl->separator >= 0 ? cl->separator : cl->word_count;

	for (int i = 0; i < options; i++)
		if (!strncmp(cl->words[i], "mount=", 6))
			return true;
	return false;
}

/* newlib's __libc_init_array calls these around the constructor arrays. */
void _init(void)
{
}

void _fini(void)
{
}

int app_run(const struct boot_info *bi, const struct cmdline *cl)
{
	static struct cmdline defaults;
	int argc = 0, envc = 0, nargs;

	(void)bi;
	if (cl->word_count == 0 && cmdline_parse(vmos_port_cmdline, &defaults) == 0)
		cl = &defaults;
	argv_store[argc++] = copy_string(posix_program_name);
	const char *const *args = cmdline_args(cl, &nargs);
	for (int i = 0; i < nargs; i++)
		argv_store[argc++] = copy_string(args[i]);
	argv_store[argc] = NULL;
	program_invocation_name = argv_store[0];
	const char *slash = strrchr(argv_store[0], '/');
	program_invocation_short_name = slash ? (char *)slash + 1 : argv_store[0];
	for (int i = 0; i < cl->separator; i++)
		if (strchr(cl->words[i], '=') && !is_kernel_key(cl->words[i]))
			envp_store[envc++] = copy_string(cl->words[i]);
	envp_store[envc] = NULL;
	environ = envp_store;

	posix_files_init();
	/* The disks before constructors: a program's static initialisers may open files. */
	if (posix_disks_mount && posix_disks_mount(cl))
		exit(1);
	if (!posix_disks_mount && has_mount_option(cl)) {
		kprintf("mount: this image has no disk support: build it with PORT_DISK := yes "
		        "in its port.mk, make PORT_DISK=yes, or VMOS_DISK=1 for vmos-cc\n");
		exit(1);
	}
	posix_cancel_hook_sockets();
	__libc_init_array();
	exit(main(argc, argv_store, environ));
}
