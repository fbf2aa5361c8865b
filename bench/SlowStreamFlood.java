import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A slow-POST flood over HTTP/2 (RFC 9113), for bench/slow-stream-flood.sh: opens
 * {@code connections} TLS connections to the gateway, asks each for {@code streams}
 * POSTs (at most the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS}) that announce a
 * body of {@code announced} bytes, sends {@code sent} bytes of
 * each (within HTTP/2 flow control) and never finishes them, then holds everything
 * open for {@code hold} seconds and closes. JDK only: run it with
 * {@code java bench/SlowStreamFlood.java}.
 *
 * <p>Prints one line per second while holding (streams accepted, refused with
 * {@code RST_STREAM}, answered) and a summary; the script samples the gateway's memory
 * meanwhile. Sends only to the host and port given (localhost in the script).
 */
public class SlowStreamFlood {

	private static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7,
			WINDOW_UPDATE = 0x8;

	private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

	private static final int MAX_FRAME = 16384;

	private static final AtomicInteger refused = new AtomicInteger();

	private static final AtomicInteger answered = new AtomicInteger();

	private static final AtomicInteger goaways = new AtomicInteger();

	private static final AtomicLong bodyBytesSent = new AtomicLong();

	/** Answers by :status (HPACK static-table statuses; "other" for literal ones such as 503). */
	private static final java.util.concurrent.ConcurrentSkipListMap<String, AtomicInteger> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();

	/** RST_STREAM and GOAWAY frames by error code (RFC 9113 section 7). */
	private static final java.util.concurrent.ConcurrentSkipListMap<String, AtomicInteger> errors = new java.util.concurrent.ConcurrentSkipListMap<>();

	private static final String[] STATIC_STATUS = { "200", "204", "206", "304", "400", "404", "500" };

	private static final String[] ERROR_CODES = { "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
			"SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
			"CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED" };

	private static void count(java.util.Map<String, AtomicInteger> counts, String key) {
		counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
	}

	private static String errorName(int code) {
		return code >= 0 && code < ERROR_CODES.length ? ERROR_CODES[code] : "0x" + Integer.toHexString(code);
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 9) {
			System.err.println("usage: SlowStreamFlood host port certificate.pem api-key path connections streams"
					+ " announced-bytes sent-bytes-and-hold-seconds (sent:hold)");
			System.exit(2);
		}
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		SSLContext tls = trusting(Path.of(args[2]));
		String apiKey = args[3];
		String path = args[4];
		int connections = Integer.parseInt(args[5]);
		int streams = Integer.parseInt(args[6]);
		int announced = Integer.parseInt(args[7]);
		String[] sentHold = args[8].split(":");
		int sent = Integer.parseInt(sentHold[0]);
		int hold = Integer.parseInt(sentHold[1]);
		List<Flood> floods = new ArrayList<>();
		List<Thread> openers = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			Flood flood = new Flood(tls, host, port);
			floods.add(flood);
			Thread opener = new Thread(() -> flood.open(streams, path, apiKey, announced, sent));
			opener.start();
			openers.add(opener);
		}
		for (Thread opener : openers) {
			opener.join();
		}
		int advertised = floods.stream().mapToInt(f -> f.maxConcurrentStreams).max().orElse(-1);
		System.out.printf("opened: %d connections, %d streams asked each, server's SETTINGS_MAX_CONCURRENT_STREAMS %s%n",
				connections, streams, advertised < 0 ? "not advertised" : String.valueOf(advertised));
		for (int s = 1; s <= hold; s++) {
			Thread.sleep(1000);
			System.out.printf("t=%ds held=%d reset=%d answered=%d goaway=%d bodyBytesSent=%d%n", s, held(floods),
					refused.get(), answered.get(), goaways.get(), bodyBytesSent.get());
		}
		for (Flood flood : floods) {
			flood.close();
		}
		System.out.printf("summary: held=%d reset=%d answered=%d goaway=%d bodyBytesSent=%d%n", held(floods),
				refused.get(), answered.get(), goaways.get(), bodyBytesSent.get());
		System.out.println("summary: answers by status " + statuses + ", RST_STREAM/GOAWAY by error " + errors);
	}

	private static int held(List<Flood> floods) {
		return floods.stream().mapToInt(f -> f.opened.get()).sum() - refused.get() - answered.get();
	}

	/** One connection: a writer (the opener thread) and a reader thread for flow control. */
	private static final class Flood {

		private final SSLSocket socket;

		private final OutputStream out;

		private final Object windows = new Object();

		private long connectionWindow = 65535;

		private long initialStreamWindow = 65535;

		private final java.util.Map<Integer, Long> streamWindows = new java.util.HashMap<>();

		private final AtomicInteger opened = new AtomicInteger();

		private volatile int maxConcurrentStreams = -1;

		private final java.util.concurrent.CountDownLatch settingsReceived = new java.util.concurrent.CountDownLatch(1);

		private volatile boolean closed;

		Flood(SSLContext tls, String host, int port) throws IOException {
			this.socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "h2" });
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			if (!"h2".equals(socket.getApplicationProtocol())) {
				throw new IOException("the server did not choose h2 but " + socket.getApplicationProtocol());
			}
			this.out = socket.getOutputStream();
		}

		void open(int streams, String path, String apiKey, int announced, int sent) {
			try {
				out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				frame(SETTINGS, 0, 0, new byte[0]);
				Thread reader = new Thread(this::read);
				reader.setDaemon(true);
				reader.start();
				byte[] chunk = new byte[Math.min(sent, MAX_FRAME)];
				java.util.Arrays.fill(chunk, (byte) ' ');
				// As a client must (RFC 9113 section 5.1.2): no more streams than the
				// server's SETTINGS_MAX_CONCURRENT_STREAMS.
				settingsReceived.await(5, java.util.concurrent.TimeUnit.SECONDS);
				int allowed = maxConcurrentStreams < 0 ? streams : Math.min(streams, maxConcurrentStreams);
				for (int i = 0; i < allowed && !closed; i++) {
					int stream = 1 + 2 * i;
					synchronized (windows) {
						streamWindows.put(stream, initialStreamWindow);
					}
					frame(HEADERS, END_HEADERS, stream, headerBlock(path, apiKey, announced));
					opened.incrementAndGet();
					int left = sent;
					while (left > 0 && !closed) {
						int n = take(stream, Math.min(left, chunk.length));
						if (n == 0) {
							break; // no window within 2 s: the server is not reading; go on
						}
						frame(DATA, 0, stream, java.util.Arrays.copyOf(chunk, n));
						bodyBytesSent.addAndGet(n);
						left -= n;
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				if (!closed) {
					System.out.println("connection failed while opening: " + ex);
				}
			}
		}

		/** Waits up to 2 s for flow-control window on the connection and the stream. */
		private int take(int stream, int wanted) throws InterruptedException {
			long deadline = System.currentTimeMillis() + 2000;
			synchronized (windows) {
				while (true) {
					Long streamWindow = streamWindows.get(stream);
					if (streamWindow == null) {
						return 0; // reset by the server
					}
					long n = Math.min(wanted, Math.min(connectionWindow, streamWindow));
					if (n > 0) {
						connectionWindow -= n;
						streamWindows.put(stream, streamWindow - n);
						return (int) n;
					}
					long wait = deadline - System.currentTimeMillis();
					if (wait <= 0) {
						return 0;
					}
					windows.wait(wait);
				}
			}
		}

		private void read() {
			try {
				DataInputStream in = new DataInputStream(socket.getInputStream());
				while (true) {
					int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
					int type = in.readUnsignedByte();
					int flags = in.readUnsignedByte();
					int stream = in.readInt() & 0x7FFFFFFF;
					byte[] payload = in.readNBytes(length);
					ByteBuffer p = ByteBuffer.wrap(payload);
					switch (type) {
						case SETTINGS -> {
							if ((flags & ACK) == 0) {
								while (p.remaining() >= 6) {
									int id = p.getShort() & 0xFFFF;
									long value = p.getInt() & 0xFFFFFFFFL;
									if (id == 0x3) {
										maxConcurrentStreams = (int) value;
									}
									else if (id == 0x4) {
										synchronized (windows) {
											long delta = value - initialStreamWindow;
											initialStreamWindow = value;
											streamWindows.replaceAll((k, v) -> v + delta);
											windows.notifyAll();
										}
									}
								}
								frame(SETTINGS, ACK, 0, new byte[0]);
								settingsReceived.countDown();
							}
						}
						case WINDOW_UPDATE -> {
							long increment = p.getInt() & 0x7FFFFFFFL;
							synchronized (windows) {
								if (stream == 0) {
									connectionWindow += increment;
								}
								else {
									streamWindows.computeIfPresent(stream, (k, v) -> v + increment);
								}
								windows.notifyAll();
							}
						}
						case RST_STREAM -> {
							refused.incrementAndGet();
							count(errors, "RST_STREAM " + errorName(p.getInt()));
							synchronized (windows) {
								streamWindows.remove(stream);
								windows.notifyAll();
							}
						}
						case HEADERS -> {
							// An answer before the body is complete (e.g. 401, 413, 429, 503).
							answered.incrementAndGet();
							int first = payload.length > 0 ? payload[0] & 0xFF : 0;
							int index = first & 0x7F;
							count(statuses, (first & 0x80) != 0 && index >= 8 && index <= 14 ? STATIC_STATUS[index - 8] : "other");
							synchronized (windows) {
								streamWindows.remove(stream);
								windows.notifyAll();
							}
						}
						case PING -> {
							if ((flags & ACK) == 0) {
								frame(PING, ACK, 0, payload);
							}
						}
						case GOAWAY -> {
							goaways.incrementAndGet();
							p.getInt();
							count(errors, "GOAWAY " + errorName(p.getInt()) + " "
									+ new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8));
						}
						default -> {
							// DATA of answers, PRIORITY, ...: ignored
						}
					}
				}
			}
			catch (IOException ex) {
				// closed by us or by the server
			}
		}

		/** HPACK (RFC 7541): every field a literal without indexing, no Huffman coding. */
		private static byte[] headerBlock(String path, String apiKey, int announced) {
			java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
			String[][] fields = { { ":method", "POST" }, { ":scheme", "https" }, { ":authority", "localhost" },
					{ ":path", path }, { "content-type", "application/json" },
					{ "content-length", String.valueOf(announced) }, { "x-api-key", apiKey } };
			for (String[] field : fields) {
				block.write(0x00);
				literal(block, field[0]);
				literal(block, field[1]);
			}
			return block.toByteArray();
		}

		private static void literal(java.io.ByteArrayOutputStream block, String text) {
			byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
			int length = bytes.length;
			if (length < 127) {
				block.write(length);
			}
			else {
				block.write(127);
				length -= 127;
				while (length >= 128) {
					block.write((length & 0x7F) | 0x80);
					length >>>= 7;
				}
				block.write(length);
			}
			block.writeBytes(bytes);
		}

		private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
			ByteBuffer header = ByteBuffer.allocate(9);
			header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
			header.put((byte) type).put((byte) flags).putInt(stream);
			synchronized (out) {
				out.write(header.array());
				out.write(payload);
				out.flush();
			}
		}

		void close() throws IOException {
			closed = true;
			socket.close();
		}

	}

	private static SSLContext trusting(Path certificate) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream cert = Files.newInputStream(certificate)) {
			trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(cert));
		}
		TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		managers.init(trust);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, managers.getTrustManagers(), null);
		return tls;
	}

}
