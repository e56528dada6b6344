/* termios.c - the console as a terminal: its settings (as a Linux serial console starts:
 * 115200 baud, 8 bits, canonical input with echo, NL to CR-NL on output), kept and given
 * back by tcgetattr/tcsetattr; they change nothing on the wire (the console has no input
 * yet and the kernel writes "\r\n" always). Every other descriptor is ENOTTY, a bad one
 * EBADF, as Linux. The cf* calls work on any struct termios, as glibc's. */
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "posix/posix.h"

/* glibc's bit in c_iflag for "input speed 0" (cfsetispeed(t, 0): same as output). */
#define IBAUD0 020000000000u

static struct termios console_settings = {
    .c_iflag = ICRNL | IXON | IUTF8,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_cc = {[VINTR] = 003,
             [VQUIT] = 034,
             [VERASE] = 0177,
             [VKILL] = 025,
             [VEOF] = 004,
             [VTIME] = 0,
             [VMIN] = 1,
             [VSTART] = 021,
             [VSTOP] = 023,
             [VSUSP] = 032,
             [VREPRINT] = 022,
             [VDISCARD] = 017,
             [VWERASE] = 027,
             [VLNEXT] = 026},
    .c_ispeed = B115200,
    .c_ospeed = B115200,
};

/* 0 when @fd is the console; else -1 with errno EBADF or ENOTTY (set by isatty). */
static int console_or_fail(int fd)
{
	return isatty(fd) ? 0 : -1;
}

/* As glibc 2.36: any value within CBAUD (B0..B4000000 and the unnamed ones between). */
static int valid_speed(speed_t speed)
{
	return (speed & ~CBAUD) == 0;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_cflag & (CBAUD | CBAUDEX);
}

speed_t cfgetispeed(const struct termios *t)
{
	return (t->c_iflag & IBAUD0) ? 0 : cfgetospeed(t);
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return (int)posix_result(-EINVAL);
	t->c_ospeed = speed;
	t->c_cflag = (t->c_cflag & ~(CBAUD | CBAUDEX)) | speed;
	return 0;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return (int)posix_result(-EINVAL);
	t->c_ispeed = speed;
	if (speed == 0) {
		t->c_iflag |= IBAUD0;
	} else {
		t->c_iflag &= ~IBAUD0;
		t->c_cflag = (t->c_cflag & ~(CBAUD | CBAUDEX)) | speed;
	}
	return 0;
}

/* cfsetspeed takes a B constant or the speed in bits per second, as glibc. */
static const struct {
	speed_t value;
	speed_t constant;
} speeds[] = {
    {0, B0},
    {50, B50},
    {75, B75},
    {110, B110},
    {134, B134},
    {150, B150},
    {200, B200},
    {300, B300},
    {600, B600},
    {1200, B1200},
    {1800, B1800},
    {2400, B2400},
    {4800, B4800},
    {9600, B9600},
    {19200, B19200},
    {38400, B38400},
    {57600, B57600},
    {115200, B115200},
    {230400, B230400},
    {460800, B460800},
    {500000, B500000},
    {576000, B576000},
    {921600, B921600},
    {1000000, B1000000},
    {1152000, B1152000},
    {1500000, B1500000},
    {2000000, B2000000},
    {2500000, B2500000},
    {3000000, B3000000},
    {3500000, B3500000},
    {4000000, B4000000},
};

int cfsetspeed(struct termios *t, speed_t speed)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++) {
		if (speed == speeds[i].constant || speed == speeds[i].value) {
			cfsetispeed(t, speeds[i].constant);
			cfsetospeed(t, speeds[i].constant);
			return 0;
		}
	}
	return (int)posix_result(-EINVAL);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

int tcgetattr(int fd, struct termios *t)
{
	if (console_or_fail(fd))
		return -1;
	*t = console_settings;
	return 0;
}

int tcsetattr(int fd, int optional_actions, const struct termios *t)
{
	if (optional_actions != TCSANOW && optional_actions != TCSADRAIN &&
	    optional_actions != TCSAFLUSH)
		return (int)posix_result(-EINVAL);
	if (console_or_fail(fd))
		return -1;
	console_settings = *t;
	return 0;
}

/* Output to the console is written synchronously: nothing to wait for or discard. */
int tcdrain(int fd)
{
	return console_or_fail(fd);
}

int tcflow(int fd, int action)
{
	if (console_or_fail(fd))
		return -1;
	if (action < TCOOFF || action > TCION)
		return (int)posix_result(-EINVAL);
	return 0;
}

int tcflush(int fd, int queue_selector)
{
	if (console_or_fail(fd))
		return -1;
	if (queue_selector < TCIFLUSH || queue_selector > TCIOFLUSH)
		return (int)posix_result(-EINVAL);
	return 0;
}

int tcsendbreak(int fd, int duration)
{
	(void)duration;
	return console_or_fail(fd);
}

/* The console is the controlling terminal of the one session, whose id is the pid. */
pid_t tcgetsid(int fd)
{
	if (console_or_fail(fd))
		return -1;
	return getpid();
}
