/* process.c - a VM runs one process: fork, vfork and exec fail with ENOSYS, waiting
 * with ECHILD, system() reports that there is no shell, and getpid is fixed. With the
 * argument "alarm": an alarm without a handler ends the process (status 128 + SIGALRM). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *call, long rc)
{
	printf("%s = %ld (%s)\n", call, rc, rc < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv_in)
{
	char *argv[] = {"/bin/true", NULL};
	int status;

	if (argc > 1 && !strcmp(argv_in[1], "alarm")) {
		alarm(1);
		printf("alarm set, sleeping\n");
		sleep(3);
		printf("not reached: the alarm did not end the process\n");
		return 0;
	}

	errno = 0;
	show("fork()", (long)fork());
	errno = 0;
	show("vfork()", (long)vfork());
	errno = 0;
	show("execve()", (long)execve("/bin/true", argv, NULL));
	errno = 0;
	show("execv()", (long)execv("/bin/true", argv));
	errno = 0;
	show("execvp()", (long)execvp("true", argv));
	errno = 0;
	show("execl()", (long)execl("/bin/true", "true", (char *)NULL));
	errno = 0;
	show("wait()", (long)wait(&status));
	errno = 0;
	show("waitpid()", (long)waitpid(-1, &status, WNOHANG));
	printf("system(NULL) = %d (a shell is available: %s)\n", system(NULL),
	       system(NULL) ? "yes" : "no");
	printf("getpid() = %ld, getppid() = %ld\n", (long)getpid(), (long)getppid());
	return 0;
}
