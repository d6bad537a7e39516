// SPDX-License-Identifier: GPL-2.0
/*
 * mvnet<handle>: a channel as an Ethernet link, one frame per message. The
 * transmit path is here; the receive path, NAPI's poll function, is
 * net_rx.c (Lab 6). The notification interrupt schedules the poll and wakes
 * a transmit queue that stopped on a full channel.
 */
#include <linux/etherdevice.h>

#include "mvchan.h"

struct mvnet_priv {
	struct mvchan *c;
};

static struct mvchan *of_net(struct net_device *net)
{
	return ((struct mvnet_priv *)netdev_priv(net))->c;
}

static int mvnet_open(struct net_device *net)
{
	struct mvchan *c = of_net(net);

	napi_enable(&c->napi);
	netif_start_queue(net);
	napi_schedule(&c->napi);	/* frames may have come while it was down */
	return 0;
}

static int mvnet_stop(struct net_device *net)
{
	struct mvchan *c = of_net(net);

	netif_stop_queue(net);
	napi_disable(&c->napi);
	return 0;
}

static netdev_tx_t mvnet_xmit(struct sk_buff *skb, struct net_device *net)
{
	struct mvchan *c = of_net(net);
	int st;

	if (skb->len > c->message_size || skb_copy_bits(skb, 0, c->tx_buf, skb->len)) {
		net->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	st = mvchan_send(c, c->tx_phys, skb->len);
	if (st == MV_WOULD_BLOCK) {
		/* Full: stop until the not-full notification. It may have come
		 * between the send and the stop: look once more. */
		netif_stop_queue(net);
		if (mvchan_status(c) & MV_CHANNEL_TX_READY)
			netif_wake_queue(net);
		return NETDEV_TX_BUSY;	/* the stack sends this skb again */
	}
	if (st == MV_OK) {
		net->stats.tx_packets++;
		net->stats.tx_bytes += skb->len;
	} else {
		net->stats.tx_carrier_errors++;	/* the other end is gone */
	}
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

void mvnet_notified(struct mvchan *c)
{
	napi_schedule(&c->napi);
	if (netif_queue_stopped(c->net) && (mvchan_status(c) & MV_CHANNEL_TX_READY))
		netif_wake_queue(c->net);
}

static const struct net_device_ops mvnet_ops = {
	.ndo_open = mvnet_open,
	.ndo_stop = mvnet_stop,
	.ndo_start_xmit = mvnet_xmit,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_mac_address = eth_mac_addr,
};

int mvnet_create(struct mvchan *c)
{
	struct net_device *net;
	u8 mac[ETH_ALEN];
	int err;

	if (c->message_size < ETH_ZLEN) {
		dev_err(c->dev, "channel %u: messages of %u bytes cannot carry Ethernet frames\n",
			c->handle, c->message_size);
		return -EINVAL;
	}
	net = alloc_etherdev(sizeof(struct mvnet_priv));
	if (!net)
		return -ENOMEM;
	((struct mvnet_priv *)netdev_priv(net))->c = c;
	snprintf(net->name, IFNAMSIZ, "mvnet%u", c->handle);
	net->netdev_ops = &mvnet_ops;
	net->min_mtu = ETH_MIN_MTU;
	net->max_mtu = c->message_size - ETH_HLEN;
	net->mtu = min_t(u32, ETH_DATA_LEN, net->max_mtu);
	/* A locally administered address: 02:6d:76 ("mv"), then random bits. */
	eth_random_addr(mac);
	mac[0] = 0x02, mac[1] = 0x6d, mac[2] = 0x76;
	eth_hw_addr_set(net, mac);
	SET_NETDEV_DEV(net, c->dev);
	netif_napi_add(net, &c->napi, mvnet_poll);
	c->net = net;
	err = register_netdev(net);
	if (err) {
		netif_napi_del(&c->napi);
		free_netdev(net);
		c->net = NULL;
	}
	return err;
}

void mvnet_destroy(struct mvchan *c)
{
	unregister_netdev(c->net);
	netif_napi_del(&c->napi);
	free_netdev(c->net);
	c->net = NULL;
}
