// SPDX-License-Identifier: GPL-2.0
/*
 * mvchan: the platform driver. One "microvisor,channel" device tree node is
 * one channel; probe() reads it, makes the bounce buffers, takes the
 * notification interrupt and creates the character or network device.
 */
#include <linux/arm-smccc.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/slab.h>

#include "mvchan.h"

int mvchan_send(struct mvchan *c, phys_addr_t buf, size_t len)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(MV_CALL_CHANNEL_SEND, c->handle, (u32)buf, len, &res);
	return (int)res.a0;
}

int mvchan_recv(struct mvchan *c, phys_addr_t buf, size_t room, size_t *len)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(MV_CALL_CHANNEL_RECV, c->handle, (u32)buf, room, &res);
	*len = res.a1;
	return (int)res.a0;
}

u32 mvchan_status(struct mvchan *c)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(MV_CALL_CHANNEL_STATUS, c->handle, &res);
	return (int)res.a0 == MV_OK ? (u32)res.a1 : 0;
}

static irqreturn_t mvchan_interrupt(int irq, void *data)
{
	struct mvchan *c = data;

	wake_up_interruptible(&c->wait);
	if (c->net)
		mvnet_notified(c);
	return IRQ_HANDLED;
}

static int mvchan_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	const char *kind = "char";
	struct mvchan *c;
	int err;

	c = devm_kzalloc(dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->dev = dev;
	if (of_property_read_u32(dev->of_node, "microvisor,handle", &c->handle) ||
	    of_property_read_u32(dev->of_node, "microvisor,message-size", &c->message_size) ||
	    c->message_size == 0 || c->message_size > 65536) {
		dev_err(dev, "no microvisor,handle or a bad microvisor,message-size\n");
		return -EINVAL;
	}
	of_property_read_string(dev->of_node, "microvisor,peer", &c->peer);
	of_property_read_string(dev->of_node, "microvisor,device", &kind);
	c->irq = platform_get_irq(pdev, 0);
	if (c->irq < 0)
		return c->irq;
	c->tx_buf = devm_kmalloc(dev, c->message_size, GFP_KERNEL);
	c->rx_buf = devm_kmalloc(dev, c->message_size, GFP_KERNEL);
	if (!c->tx_buf || !c->rx_buf)
		return -ENOMEM;
	c->tx_phys = virt_to_phys(c->tx_buf);
	c->rx_phys = virt_to_phys(c->rx_buf);
	init_waitqueue_head(&c->wait);
	mutex_init(&c->tx_lock);
	mutex_init(&c->rx_lock);
	platform_set_drvdata(pdev, c);

	if (!(mvchan_status(c) & MV_CHANNEL_CONNECTED))
		dev_warn(dev, "channel %u: the microvisor says its other end is not there\n", c->handle);
	err = strcmp(kind, "net") == 0 ? mvnet_create(c) : mvchan_chardev_create(c);
	if (err)
		return err;
	err = devm_request_irq(dev, c->irq, mvchan_interrupt, 0, dev_name(dev), c);
	if (err) {
		if (c->net)
			mvnet_destroy(c);
		else
			mvchan_chardev_destroy(c);
		return err;
	}
	dev_info(dev, "channel %u to %s: %s, messages of %u bytes, irq %d\n", c->handle,
		 c->peer ? c->peer : "?", c->net ? netdev_name(c->net) : c->name, c->message_size, c->irq);
	return 0;
}

static int mvchan_remove(struct platform_device *pdev)
{
	struct mvchan *c = platform_get_drvdata(pdev);

	devm_free_irq(c->dev, c->irq, c);
	if (c->net)
		mvnet_destroy(c);
	else
		mvchan_chardev_destroy(c);
	return 0;
}

static const struct of_device_id mvchan_of_match[] = {
	{ .compatible = "microvisor,channel" },
	{ }
};
/* No MODULE_DEVICE_TABLE: rcS loads the module itself, and Debian's amd64
 * modpost, built for 64-bit targets, misreads a 32-bit device table. */

static struct platform_driver mvchan_driver = {
	.probe = mvchan_probe,
	.remove = mvchan_remove,
	.driver = { .name = "mvchan", .of_match_table = mvchan_of_match },
};
module_platform_driver(mvchan_driver);

MODULE_DESCRIPTION("The microvisor's channels: character and network devices");
MODULE_LICENSE("GPL");
