package dev.cloudref.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Load through the gateway, in the two models a load test needs: a closed model
 * ({@link #closed}: a fixed number of clients, each sending its next request when the
 * last one is answered; its throughput is the system's saturation), and an open model
 * ({@link #open}: requests start on a schedule, at a fixed rate, whether or not earlier
 * ones were answered, as independent users do; at a rate above saturation the excess must
 * be shed, not queued).
 *
 * <p>
 * HTTP/2 over TLS on {@value #CONNECTIONS} connections, requests spread over them in
 * turn, as an API client or a front load balancer holds a few multiplexed connections.
 * (HTTP/1.1 with one connection per request in flight measures something else: when
 * answers slow down, the client opens ever more connections, and the TLS handshakes eat
 * the cores before any request reaches the concurrency limit.) Each connection carries at
 * most {@value #STREAMS_PER_CONNECTION} requests at once, the gateway's HTTP/2
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS} (Reactor Netty's default): a request of an open
 * run that finds every connection full is counted as {@code notSent}, as a client would
 * queue or refuse it, rather than sent and failed by the JDK client ("too many concurrent
 * streams").
 */
final class OpenLoad {

	static final int STREAMS_PER_CONNECTION = 100;

	/**
	 * One answered request (status -1: an I/O error or a client timeout, {@code error}
	 * its exception's class and message, else null).
	 */
	record Answer(int status, long startNanos, long nanos, boolean retryAfter, boolean problem, boolean noInstance,
			String error) {

		double millis() {
			return this.nanos / 1e6;
		}
	}

	static final int CONNECTIONS = 8;

	/** One HTTP/2 connection (a client keeps one per origin) and its free streams. */
	private record Connection(HttpClient http, Semaphore streams) {
	}

	private final List<Connection> connections = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private final URI base;

	private final String apiKey;

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	OpenLoad(URI base, Path certificate, String apiKey) {
		this.base = base;
		this.apiKey = apiKey;
		for (int i = 0; i < CONNECTIONS; i++) {
			// One client per connection: a client keeps one HTTP/2 connection per origin.
			this.connections.add(new Connection(HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_2)
				.sslContext(GatewayClient.trusting(certificate))
				.connectTimeout(Duration.ofSeconds(5))
				.executor(this.executor)
				.build(), new Semaphore(STREAMS_PER_CONNECTION)));
		}
	}

	/**
	 * @param clients concurrent clients
	 * @param duration how long they send
	 * @param path the i-th request's path
	 * @return every answer
	 */
	List<Answer> closed(int clients, Duration duration, IntFunction<String> path) throws InterruptedException {
		ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
		long end = System.nanoTime() + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			int client = c;
			Thread thread = new Thread(() -> {
				for (int i = client; System.nanoTime() < end; i += clients) {
					answers.add(send(path.apply(i)).join());
				}
			}, "closed-load-" + c);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return new ArrayList<>(answers);
	}

	/**
	 * @param requestsPerSecond the rate at which requests start
	 * @param duration how long they start
	 * @param path the i-th request's path
	 * @return every answer, and how many requests were not sent (in-flight cap)
	 */
	OpenRun open(int requestsPerSecond, Duration duration, IntFunction<String> path) throws InterruptedException {
		ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
		List<CompletableFuture<Void>> pending = Collections.synchronizedList(new ArrayList<>());
		long start = System.nanoTime();
		long total = requestsPerSecond * duration.toSeconds();
		long notSent = 0;
		for (long i = 0; i < total; i++) {
			long due = start + i * 1_000_000_000L / requestsPerSecond;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			Connection connection = freeConnection();
			if (connection == null) {
				notSent++;
				continue;
			}
			pending.add(send(connection, path.apply((int) i)).thenAccept(answers::add));
		}
		long stoppedNanos = System.nanoTime();
		CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
		return new OpenRun(new ArrayList<>(answers), notSent, stoppedNanos);
	}

	/**
	 * @param answers every answer of the run
	 * @param notSent requests not sent because every connection carried
	 * {@value #STREAMS_PER_CONNECTION} requests
	 * @param stoppedNanos when the last request was started ({@link System#nanoTime()})
	 */
	record OpenRun(List<Answer> answers, long notSent, long stoppedNanos) {
	}

	/**
	 * @return one GET's answer, sent when a connection has a free stream; never fails (an
	 * I/O error is an answer with status -1)
	 */
	CompletableFuture<Answer> send(String path) {
		Connection connection = this.connections.get(Math.floorMod(this.next.getAndIncrement(), CONNECTIONS));
		connection.streams().acquireUninterruptibly();
		return send(connection, path);
	}

	/**
	 * @return a connection with a free stream (taken), trying each in turn, or null
	 */
	private Connection freeConnection() {
		for (int tried = 0; tried < CONNECTIONS; tried++) {
			Connection connection = this.connections.get(Math.floorMod(this.next.getAndIncrement(), CONNECTIONS));
			if (connection.streams().tryAcquire()) {
				return connection;
			}
		}
		return null;
	}

	/**
	 * Sends on a connection whose stream the caller has taken; the stream is freed with
	 * the answer.
	 */
	private CompletableFuture<Answer> send(Connection connection, String path) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(15))
			.header(GatewayClient.API_KEY, this.apiKey)
			.GET()
			.build();
		long started = System.nanoTime();
		return connection.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
			connection.streams().release();
			long nanos = System.nanoTime() - started;
			if (error != null) {
				Throwable cause = (error.getCause() != null) ? error.getCause() : error;
				return new Answer(-1, started, nanos, false, false, false,
						cause.getClass().getSimpleName() + ": " + cause.getMessage());
			}
			String body = response.body();
			return new Answer(response.statusCode(), started, nanos,
					response.headers().firstValue("Retry-After").isPresent(),
					response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
					body.contains("nable to find instance") || body.contains("o servers available"), null);
		});
	}

	void close() {
		this.executor.shutdownNow();
	}

	/**
	 * @return answers per status, e.g. {@code {200=9000, 503=4000}}
	 */
	static Map<Integer, Integer> byStatus(List<Answer> answers) {
		Map<Integer, Integer> counts = new TreeMap<>();
		answers.forEach(answer -> counts.merge(answer.status(), 1, Integer::sum));
		return counts;
	}

	/**
	 * @return the {@code quantile} (0..1) of the answers' latencies in ms, 0 if none
	 */
	static double latencyMillis(List<Answer> answers, double quantile) {
		return FaultFigures.quantileMillis(answers.stream().map(Answer::nanos).toList(), quantile);
	}

}
