package dev.cloudref.gateway.limits;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A bare HTTP/2-over-TLS connection (RFC 9113) that writes frames itself, for what a
 * client library never does: open more streams than the server allows, or leave request
 * bodies unfinished. Header blocks are HPACK-encoded with Netty's encoder.
 */
final class RawHttp2 implements AutoCloseable {

	static final int DATA = 0x0;

	static final int HEADERS = 0x1;

	static final int RST_STREAM = 0x3;

	static final int SETTINGS = 0x4;

	static final int GOAWAY = 0x7;

	static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

	static final int REFUSED_STREAM = 0x7;

	private static final int END_STREAM = 0x1;

	private static final int END_HEADERS = 0x4;

	private static final int ACK = 0x1;

	/** One frame read from the server: type, flags, stream id and payload. */
	record Frame(int type, int flags, int streamId, byte[] payload) {

		/**
		 * @return the error code of a {@code RST_STREAM} frame
		 */
		int errorCode() {
			return ByteBuffer.wrap(payload).getInt();
		}

		/**
		 * @return the value of {@code setting} in a {@code SETTINGS} frame, or null
		 */
		Long setting(int setting) {
			ByteBuffer entries = ByteBuffer.wrap(payload);
			while (entries.remaining() >= 6) {
				int id = entries.getShort() & 0xFFFF;
				long value = entries.getInt() & 0xFFFFFFFFL;
				if (id == setting) {
					return value;
				}
			}
			return null;
		}
	}

	private final SSLSocket socket;

	private final OutputStream out;

	private final DataInputStream in;

	private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

	private RawHttp2(SSLSocket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.in = new DataInputStream(socket.getInputStream());
	}

	/**
	 * Opens a connection (ALPN {@code h2}) and sends the client preface with empty
	 * settings.
	 */
	static RawHttp2 open(int port, Path certificate) throws Exception {
		RawHttp2 connection = new RawHttp2(RawHttps.connect(port, certificate, "h2"));
		connection.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		connection.frame(SETTINGS, 0, 0, new byte[0]);
		return connection;
	}

	/**
	 * Reads frames until the server's first {@code SETTINGS} (not an acknowledgement) and
	 * acknowledges it.
	 */
	Frame serverSettings(Duration timeout) throws IOException {
		while (true) {
			Frame frame = read(timeout);
			if (frame.type() == SETTINGS && (frame.flags() & ACK) == 0) {
				frame(SETTINGS, ACK, 0, new byte[0]);
				return frame;
			}
		}
	}

	/**
	 * Opens stream {@code streamId} with a request header block; the stream stays open
	 * for a body unless {@code endStream}.
	 */
	void headers(int streamId, String method, String path, Map<String, String> fields, boolean endStream)
			throws Exception {
		Http2Headers headers = new DefaultHttp2Headers().method(method)
			.scheme("https")
			.authority("localhost")
			.path(path);
		fields.forEach(headers::add);
		ByteBuf block = Unpooled.buffer();
		try {
			hpack.encodeHeaders(streamId, headers, block);
			byte[] bytes = new byte[block.readableBytes()];
			block.readBytes(bytes);
			frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, bytes);
		}
		finally {
			block.release();
		}
	}

	/**
	 * Sends {@code body} on stream {@code streamId}, ending the stream if
	 * {@code endStream}.
	 */
	void data(int streamId, byte[] body, boolean endStream) throws IOException {
		frame(DATA, endStream ? END_STREAM : 0, streamId, body);
	}

	/**
	 * @return the next frame from the server
	 * @throws SocketTimeoutException if none arrives within {@code timeout}
	 */
	Frame read(Duration timeout) throws IOException {
		socket.setSoTimeout((int) timeout.toMillis());
		int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
		int type = in.readUnsignedByte();
		int flags = in.readUnsignedByte();
		int streamId = in.readInt() & 0x7FFFFFFF;
		byte[] payload = new byte[length];
		in.readFully(payload);
		return new Frame(type, flags, streamId, payload);
	}

	/**
	 * Reads frames until one of {@code type} on {@code streamId} arrives (other frames
	 * are skipped; a {@code GOAWAY} ends the wait with an exception).
	 */
	Frame awaitFrame(int type, int streamId, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			Frame frame = read(Duration.ofMillis(left));
			if (frame.type() == type && frame.streamId() == streamId) {
				return frame;
			}
			if (frame.type() == GOAWAY) {
				throw new IOException("GOAWAY from the server, error " + ByteBuffer.wrap(frame.payload()).getInt(4));
			}
		}
	}

	private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
		ByteBuffer header = ByteBuffer.allocate(9);
		header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
		header.put((byte) type).put((byte) flags).putInt(streamId);
		out.write(header.array());
		out.write(payload);
		out.flush();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
