package dev.cloudref.gateway.limits;

import reactor.netty.http.Http2SettingsSpec;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Advertises {@code SETTINGS_MAX_CONCURRENT_STREAMS} (RFC 9113 §6.5.2) from
 * {@code gateway.limits.max-concurrent-streams} on every HTTP/2 connection, so that one
 * client connection holds at most that many requests open.
 */
@Component
class Http2StreamLimit implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final LimitsProperties limits;

	Http2StreamLimit(LimitsProperties limits) {
		this.limits = limits;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(server -> server.http2Settings(settings -> {
			keep(server.configuration().http2SettingsSpec(), settings);
			settings.maxConcurrentStreams(limits.maxConcurrentStreams());
		}));
	}

	/**
	 * After Spring Boot's own factory customizer, so that its server customizer runs
	 * first.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Reactor Netty replaces the whole settings spec on each
	 * {@link HttpServer#http2Settings} call, so what is already set (e.g. Spring Boot's
	 * header list size) must be copied over.
	 */
	private static void keep(Http2SettingsSpec current, Http2SettingsSpec.Builder settings) {
		if (current == null) {
			return;
		}
		if (current.headerTableSize() != null) {
			settings.headerTableSize(current.headerTableSize());
		}
		if (current.initialWindowSize() != null) {
			settings.initialWindowSize(current.initialWindowSize());
		}
		if (current.maxFrameSize() != null) {
			settings.maxFrameSize(current.maxFrameSize());
		}
		if (current.maxHeaderListSize() != null) {
			settings.maxHeaderListSize(current.maxHeaderListSize());
		}
		if (current.maxStreams() != null) {
			settings.maxStreams(current.maxStreams());
		}
		if (current.connectProtocolEnabled() != null) {
			settings.connectProtocolEnabled(current.connectProtocolEnabled());
		}
		if (current.pingAckTimeout() != null) {
			settings.pingAckTimeout(current.pingAckTimeout());
		}
		if (current.pingAckDropThreshold() != null) {
			settings.pingAckDropThreshold(current.pingAckDropThreshold());
		}
		if (current.maxDecodedRstFramesPerWindow() != null && current.maxDecodedRstFramesSecondsPerWindow() != null) {
			settings.maxDecodedRstFramesPerWindow(current.maxDecodedRstFramesPerWindow(),
					current.maxDecodedRstFramesSecondsPerWindow());
		}
		if (current.maxEncodedRstFramesPerWindow() != null && current.maxEncodedRstFramesSecondsPerWindow() != null) {
			settings.maxEncodedRstFramesPerWindow(current.maxEncodedRstFramesPerWindow(),
					current.maxEncodedRstFramesSecondsPerWindow());
		}
	}

}
