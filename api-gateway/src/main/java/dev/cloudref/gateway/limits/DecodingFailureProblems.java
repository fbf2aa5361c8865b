package dev.cloudref.gateway.limits;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

/**
 * Adds a problem detail body to the bare {@code 400}, {@code 414} and {@code 431}
 * responses that Reactor Netty writes itself when it cannot decode an HTTP/1.1 request;
 * everything else passes untouched.
 */
final class DecodingFailureProblems extends ChannelOutboundHandlerAdapter {

	/** Name of the handler in the pipeline. */
	static final String NAME = "cloudref.decodingFailureProblems";

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof FullHttpResponse response && isBareDecodingFailure(response)) {
			byte[] json = NettyProblems.decodingFailure(response.status()).getBytes(StandardCharsets.UTF_8);
			FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(json));
			response.release();
			problem.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, NettyProblems.CONTENT_TYPE)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
			ctx.write(problem, promise);
			return;
		}
		ctx.write(msg, promise);
	}

	/**
	 * Only Netty's decoding failures have an error status, no body, no
	 * {@code Content-Type} and {@code Connection: close}; the connection closes after
	 * them, so adding a body cannot break the framing of a following request.
	 */
	static boolean isBareDecodingFailure(FullHttpResponse response) {
		return response.status().code() >= 400 && !response.content().isReadable()
				&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
				&& response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
	}

}
