/**
 * The transactional outbox: events stored with the change they describe, in its
 * transaction ({@link dev.cloudref.order.outbox.Outbox}), and published to the broker
 * afterwards with publisher confirms by a relay (docs/events.md).
 */
@ApplicationModule
package dev.cloudref.order.outbox;

import org.springframework.modulith.ApplicationModule;
