// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 6: the network device's receive path, NAPI's poll function.
 */
#include <linux/etherdevice.h>

#include "mvchan.h"

/*
 * NAPI calls this, in softirq context, after mvnet_notified() (net.c) or
 * mvnet_open() scheduled it: receive up to `budget` frames from channel c
 * (container_of(napi, struct mvchan, napi)) and hand each to the stack.
 *  - Receive with mvchan_recv() into c->rx_buf (c->rx_phys, room
 *    c->message_size: a message never has more), until MV_WOULD_BLOCK, or
 *    MV_NOT_CONNECTED (nothing more will come), or `budget` frames.
 *  - A frame shorter than an Ethernet header (ETH_HLEN) is counted in
 *    c->net->stats.rx_length_errors and dropped; any other failure of the
 *    receive in rx_errors (and stop receiving).
 *  - For each good frame: an skb of its length from napi_alloc_skb() (none:
 *    count rx_dropped and go on), the bytes copied in (skb_put_data), its
 *    protocol from eth_type_trans(), rx_packets and rx_bytes counted, and the
 *    skb given to napi_gro_receive().
 *  - Return the number of messages taken from the channel, counted against
 *    the budget. If that is less than `budget`, the queue was empty:
 *    napi_complete_done(). But the channel notifies only on the edge from
 *    empty to non-empty, and a frame that arrived after your last receive
 *    raised its interrupt while this poll was still scheduled, which
 *    napi_schedule() then ignored: if napi_complete_done() returns true and
 *    mvchan_status() says MV_CHANNEL_RX_READY, napi_schedule() again, or that
 *    frame waits for ever: the queue is not empty any more, so no frame after
 *    it notifies.
 */
int mvnet_poll(struct napi_struct *napi, int budget)
{
	struct mvchan *c = container_of(napi, struct mvchan, napi);
	struct net_device *net = c->net;
	struct sk_buff *skb;
	int done = 0, st;
	size_t len;

	while (done < budget) {
		st = mvchan_recv(c, c->rx_phys, c->message_size, &len);
		if (st == MV_WOULD_BLOCK || st == MV_NOT_CONNECTED)
			break;
		if (st != MV_OK) {
			net->stats.rx_errors++;
			break;
		}
		done++;
		if (len < ETH_HLEN) {
			net->stats.rx_length_errors++;
			continue;
		}
		skb = napi_alloc_skb(napi, len);
		if (!skb) {
			net->stats.rx_dropped++;
			continue;
		}
		skb_put_data(skb, c->rx_buf, len);
		skb->protocol = eth_type_trans(skb, net);
		net->stats.rx_packets++;
		net->stats.rx_bytes += len;
		napi_gro_receive(napi, skb);
	}
	if (done < budget && napi_complete_done(napi, done) && (mvchan_status(c) & MV_CHANNEL_RX_READY))
		napi_schedule(napi);
	return done;
}
