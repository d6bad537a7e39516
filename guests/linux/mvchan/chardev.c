// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mvchan<handle>: a channel as a byte stream. write() cuts what it is
 * given into messages of at most message_size bytes and sends each; read()
 * hands out the bytes of one message after the other. Both block (unless
 * O_NONBLOCK) until the channel's notification says there is room or data;
 * read() returns 0 (end of file) once the other end's VM has ended and its
 * queue is empty, write() then fails with EPIPE.
 */
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "mvchan.h"

static struct mvchan *of_file(struct file *f)
{
	return container_of(f->private_data, struct mvchan, misc);
}

/* Wait for one of `flags` (or for the other end to go); the caller holds no lock. */
static int mvchan_wait(struct mvchan *c, u32 flags)
{
	u32 s;

	return wait_event_interruptible(c->wait,
		((s = mvchan_status(c)) & flags) || !(s & MV_CHANNEL_CONNECTED));
}

static ssize_t mvchan_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	struct mvchan *c = of_file(f);
	ssize_t ret = 0;
	size_t len, k;
	int st;

	if (n == 0)
		return 0;
	if (mutex_lock_interruptible(&c->rx_lock))
		return -ERESTARTSYS;
	while (c->rx_off == c->rx_len) {
		st = mvchan_recv(c, c->rx_phys, c->message_size, &len);
		if (st == MV_OK) {
			c->rx_len = len;
			c->rx_off = 0;
			continue;	/* an empty message carries nothing: take the next */
		}
		if (st == MV_NOT_CONNECTED)
			goto out;	/* end of file */
		if (st != MV_WOULD_BLOCK) {
			ret = -EIO;
			goto out;
		}
		if (f->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		mutex_unlock(&c->rx_lock);
		if (mvchan_wait(c, MV_CHANNEL_RX_READY))
			return -ERESTARTSYS;
		if (mutex_lock_interruptible(&c->rx_lock))
			return -ERESTARTSYS;
	}
	k = min(n, c->rx_len - c->rx_off);
	if (copy_to_user(buf, (char *)c->rx_buf + c->rx_off, k)) {
		ret = -EFAULT;
		goto out;
	}
	c->rx_off += k;
	ret = k;
out:
	mutex_unlock(&c->rx_lock);
	return ret;
}

static ssize_t mvchan_write(struct file *f, const char __user *buf, size_t n, loff_t *pos)
{
	struct mvchan *c = of_file(f);
	size_t done = 0, k;
	ssize_t err = 0;
	int st;

	if (mutex_lock_interruptible(&c->tx_lock))
		return -ERESTARTSYS;
	while (done < n && !err) {
		k = min_t(size_t, n - done, c->message_size);
		if (copy_from_user(c->tx_buf, buf + done, k)) {
			err = -EFAULT;
			break;
		}
		while ((st = mvchan_send(c, c->tx_phys, k)) == MV_WOULD_BLOCK) {
			if (f->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			if (mvchan_wait(c, MV_CHANNEL_TX_READY)) {
				err = -ERESTARTSYS;
				break;
			}
		}
		if (!err && st == MV_NOT_CONNECTED)
			err = -EPIPE;
		else if (!err && st != MV_OK)
			err = -EIO;
		if (!err)
			done += k;
	}
	mutex_unlock(&c->tx_lock);
	return done ? done : err;
}

static __poll_t mvchan_poll(struct file *f, poll_table *pt)
{
	struct mvchan *c = of_file(f);
	__poll_t mask = 0;
	u32 s;

	poll_wait(f, &c->wait, pt);
	s = mvchan_status(c);
	if ((s & MV_CHANNEL_RX_READY) || c->rx_off < c->rx_len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (s & MV_CHANNEL_TX_READY)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (!(s & MV_CHANNEL_CONNECTED))
		mask |= EPOLLHUP;
	return mask;
}

static const struct file_operations mvchan_fops = {
	.owner = THIS_MODULE,
	.read = mvchan_read,
	.write = mvchan_write,
	.poll = mvchan_poll,
	.llseek = no_llseek,
};

int mvchan_chardev_create(struct mvchan *c)
{
	snprintf(c->name, sizeof(c->name), "mvchan%u", c->handle);
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = c->name;
	c->misc.fops = &mvchan_fops;
	c->misc.parent = c->dev;
	return misc_register(&c->misc);
}

void mvchan_chardev_destroy(struct mvchan *c)
{
	misc_deregister(&c->misc);
}
