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
 * Gives a problem detail body to the bare error responses that Reactor Netty writes by
 * itself when it cannot decode an HTTP/1.1 request: a request line over
 * {@code server.netty.max-initial-line-length} ({@code 414}), header fields over
 * {@code server.max-http-request-header-size} ({@code 431}), or a malformed request
 * ({@code 400}: bad request line, invalid header characters, broken chunked encoding).
 *
 * <p>Those responses are the only ones with an error status, an empty body, no
 * {@code Content-Type} and {@code Connection: close}; the connection is closed after
 * them, so adding a body cannot break the framing of a following request (not even
 * after a {@code HEAD}). Everything else passes untouched.
 *
 * <p>Sits at the tail of an HTTP/1.1 connection's pipeline, where Reactor Netty's writes
 * start. HTTP/2 connections never write such responses through it.
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

	static boolean isBareDecodingFailure(FullHttpResponse response) {
		return response.status().code() >= 400 && !response.content().isReadable()
				&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
				&& response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
	}

}
