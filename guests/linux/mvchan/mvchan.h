/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mvchan: the microvisor's channels (mv/abi.h, book: Lab 5) in Linux, Lab 6's
 * paravirtual drivers. The device tree (written by mv-sysgen) has one
 * "microvisor,channel" node per channel this VM is an end of; each becomes
 *   - a character device /dev/mvchan<handle> (microvisor,device = "char"):
 *     write() sends, read() receives, as a byte stream cut into messages;
 *   - or a network device mvnet<handle> (microvisor,device = "net"): one
 *     Ethernet frame per message.
 * Both are driven by the channel hypercalls (arm_smccc_1_1_hvc) and by the
 * channel's notification interrupt, a virtual SPI the microvisor raises when
 * the receive queue goes from empty to non-empty and when the send queue
 * goes from full to not full: edges only, never levels.
 */
#ifndef MVCHAN_H
#define MVCHAN_H

#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/wait.h>

#include "mv/abi.h"

struct mvchan {
	struct device *dev;
	u32 handle;		/* the channel's handle, its index in the system description */
	u32 message_size;	/* the longest message, bytes */
	int irq;		/* its notification interrupt (Linux's number) */
	const char *peer;	/* the VM at the other end */
	/* Bounce buffers of message_size bytes each, physically contiguous
	 * (kmalloc): the hypercalls take guest-physical addresses. */
	void *tx_buf, *rx_buf;
	phys_addr_t tx_phys, rx_phys;
	wait_queue_head_t wait;	/* woken by every notification */

	/* The character device. */
	struct miscdevice misc;
	char name[16];
	struct mutex tx_lock, rx_lock;
	size_t rx_len, rx_off;	/* the message read() is part-way through */

	/* The network device. */
	struct net_device *net;
	struct napi_struct napi;
};

/* The hypercalls (channel.c): an MV_* status. */
int mvchan_send(struct mvchan *c, phys_addr_t buf, size_t len);
int mvchan_recv(struct mvchan *c, phys_addr_t buf, size_t room, size_t *len);
u32 mvchan_status(struct mvchan *c);

int mvchan_chardev_create(struct mvchan *c);	/* chardev.c */
void mvchan_chardev_destroy(struct mvchan *c);
int mvnet_create(struct mvchan *c);		/* net.c */
void mvnet_destroy(struct mvchan *c);
void mvnet_notified(struct mvchan *c);
int mvnet_poll(struct napi_struct *napi, int budget);	/* net_rx.c: Lab 6 */

/* A lab function the student has not written yet (the course's MV_LAB_TODO,
 * microvisor/lib/lab_todo.hpp): it says so on the console, once. */
#define MV_LAB_TODO(lab)                                                                     \
	pr_err_once("MV_LAB_TODO: lab %d: %s() in guests/linux/mvchan/%s.c is not written yet " \
		    "(book: labs/lab%d)\n", lab, __func__, KBUILD_BASENAME, lab)

#endif
