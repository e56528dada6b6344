/* terminal.c - termios on struct termios and on descriptors that are not terminals, the
 * POSIX limits of limits.h, and AF_UNIX addresses (sys/un.h). The test's stdout is a file
 * on Linux and the console in VMOS, so the console's own settings are not compared; the
 * descriptors here are files, pipes and closed numbers on both. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"

static void show(const char *what, const struct termios *t)
{
	printf("%s: iflag %o oflag %o cflag %o lflag %o vmin %u vtime %u ospeed %o ispeed %o\n",
	       what, t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag, t->c_cc[VMIN], t->c_cc[VTIME],
	       cfgetospeed(t), cfgetispeed(t));
}

static void result(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	struct termios t;

	memset(&t, 0, sizeof(t));
	t.c_iflag = ICRNL | IXON | BRKINT | IGNPAR;
	t.c_oflag = OPOST | ONLCR;
	t.c_cflag = B9600 | CS7 | PARENB | CREAD;
	t.c_lflag = ISIG | ICANON | ECHO | ECHOE | IEXTEN | TOSTOP;
	t.c_cc[VMIN] = 4;
	t.c_cc[VTIME] = 9;
	show("start", &t);
	cfmakeraw(&t);
	show("cfmakeraw", &t);
	result("cfsetospeed B115200", cfsetospeed(&t, B115200));
	result("cfsetispeed B0", cfsetispeed(&t, B0));
	show("speeds", &t);
	result("cfsetispeed B2400", cfsetispeed(&t, B2400));
	show("input 2400", &t);
	result("cfsetospeed 12345", cfsetospeed(&t, 12345));
	result("cfsetospeed 0x1000 (CBAUDEX alone)", cfsetospeed(&t, CBAUDEX));
	result("cfsetspeed 38400", cfsetspeed(&t, 38400));
	show("cfsetspeed 38400", &t);
	result("cfsetspeed B57600", cfsetspeed(&t, B57600));
	show("cfsetspeed B57600", &t);
	result("cfsetspeed 1234", cfsetspeed(&t, 1234));
	printf("sizes: termios %zu, c_cc %zu, NCCS %d, offsets %zu %zu %zu\n",
	       sizeof(struct termios), sizeof(t.c_cc), NCCS, offsetof(struct termios, c_line),
	       offsetof(struct termios, c_cc), offsetof(struct termios, c_ispeed));
	printf("values: ECHO %o ICANON %o ISIG %o IEXTEN %o VMIN %d VTIME %d VEOF %d VINTR %d "
	       "CRTSCTS %o"
	       " B4000000 %o TCSAFLUSH %d TCIOFLUSH %d TCION %d\n",
	       ECHO, ICANON, ISIG, IEXTEN, VMIN, VTIME, VEOF, VINTR, CRTSCTS, B4000000, TCSAFLUSH,
	       TCIOFLUSH, TCION);

	/* Descriptors that are not terminals. */
	char path[] = "/tmp/vmos-terminal-XXXXXX";
	int fd = mkstemp(path);
	int p[2];
	if (fd < 0 || pipe(p) < 0) {
		printf("setup failed: %s\n", errname(errno));
		return 1;
	}
	result("tcgetattr file", tcgetattr(fd, &t));
	result("tcsetattr file", tcsetattr(fd, TCSANOW, &t));
	result("tcsetattr file, bad action", tcsetattr(fd, 42, &t));
	result("tcgetattr pipe", tcgetattr(p[0], &t));
	result("tcdrain pipe", tcdrain(p[1]));
	result("tcflush file", tcflush(fd, TCIOFLUSH));
	result("tcflow file", tcflow(fd, TCOON));
	result("tcsendbreak file", tcsendbreak(fd, 0));
	result("tcgetsid file", (int)tcgetsid(fd));
	result("isatty file", isatty(fd) ? 1 : -1);
	close(fd);
	unlink(path);
	result("tcgetattr closed", tcgetattr(fd, &t));
	result("tcdrain closed", tcdrain(fd));
	result("tcgetattr -1", tcgetattr(-1, &t));

	/* limits.h */
	printf(
	    "SSIZE_MAX %ld, _POSIX_SSIZE_MAX %d, NAME_MAX %d, HOST_NAME_MAX %d, LOGIN_NAME_MAX %d,"
	    " TTY_NAME_MAX %d, IOV_MAX %d, LINE_MAX %d, PTHREAD_KEYS_MAX %d, PTHREAD_STACK_MIN "
	    "%d\n",
	    (long)SSIZE_MAX, _POSIX_SSIZE_MAX, NAME_MAX, HOST_NAME_MAX, LOGIN_NAME_MAX,
	    TTY_NAME_MAX, IOV_MAX, LINE_MAX, PTHREAD_KEYS_MAX, (int)PTHREAD_STACK_MIN);
	printf("_POSIX: ARG_MAX %d CHILD_MAX %d HOST_NAME_MAX %d LINK_MAX %d NAME_MAX %d"
	       " OPEN_MAX %d PATH_MAX %d PIPE_BUF %d SYMLOOP_MAX %d TZNAME_MAX %d"
	       " THREAD_KEYS_MAX %d THREAD_THREADS_MAX %d _XOPEN_IOV_MAX %d\n",
	       _POSIX_ARG_MAX, _POSIX_CHILD_MAX, _POSIX_HOST_NAME_MAX, _POSIX_LINK_MAX,
	       _POSIX_NAME_MAX, _POSIX_OPEN_MAX, _POSIX_PATH_MAX, _POSIX_PIPE_BUF,
	       _POSIX_SYMLOOP_MAX, _POSIX_TZNAME_MAX, _POSIX_THREAD_KEYS_MAX,
	       _POSIX_THREAD_THREADS_MAX, _XOPEN_IOV_MAX);

	/* sys/un.h */
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "/run/server.sock");
	printf("sockaddr_un: size %zu, sun_path at %zu, %zu bytes; SUN_LEN %zu\n", sizeof(sun),
	       offsetof(struct sockaddr_un, sun_path), sizeof(sun.sun_path), (size_t)SUN_LEN(&sun));
	return 0;
}
