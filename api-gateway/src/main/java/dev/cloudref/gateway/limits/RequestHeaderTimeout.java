package dev.cloudref.gateway.limits;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client does not send a complete request header block in time:
 * the defence against slowloris clients, which Reactor Netty's own timeouts do not cover.
 * One instance per connection, first in its pipeline.
 */
final class RequestHeaderTimeout extends ChannelInboundHandlerAdapter {

	private static final Logger log = LoggerFactory.getLogger(RequestHeaderTimeout.class);

	/** Name of the handler in the pipeline. */
	static final String NAME = "cloudref.requestHeaderTimeout";

	private final long timeoutMillis;

	// No locking: every method runs on the connection's event loop.
	private ChannelHandlerContext context;

	private ScheduledFuture<?> deadline;

	private int exchangesInFlight;

	RequestHeaderTimeout(Duration timeout) {
		this.timeoutMillis = Math.max(1, timeout.toMillis());
	}

	/**
	 * @param channel a connection, or an HTTP/2 stream of one
	 * @return the handler of that connection, or {@code null} if it has none
	 */
	static RequestHeaderTimeout of(Channel channel) {
		Channel connection = (channel instanceof Http2StreamChannel) ? channel.parent() : channel;
		return connection.pipeline().get(RequestHeaderTimeout.class);
	}

	/** A request's header block is complete: the client is not holding it back. */
	void requestReceived() {
		exchangesInFlight++;
		cancel();
	}

	/**
	 * An exchange is over (response sent, or failed); the next bytes start a new
	 * deadline.
	 */
	void exchangeCompleted() {
		exchangesInFlight = Math.max(0, exchangesInFlight - 1);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		context = ctx;
		if (ctx.channel().isActive()) {
			start();
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		start();
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (exchangesInFlight == 0) {
			start();
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancel();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel();
	}

	private void start() {
		ChannelHandlerContext ctx = context;
		if (deadline == null && ctx != null) {
			deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
		}
	}

	private void expire(ChannelHandlerContext ctx) {
		deadline = null;
		if (exchangesInFlight == 0 && ctx.channel().isActive()) {
			log.debug("Closing {}: no complete request header within {} ms", ctx.channel().remoteAddress(),
					timeoutMillis);
			ctx.close();
		}
	}

	private void cancel() {
		if (deadline != null) {
			deadline.cancel(false);
			deadline = null;
		}
	}

}
