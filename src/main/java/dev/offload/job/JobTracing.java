package dev.offload.job;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * One trace per job, from the POST through the wake-up message to the worker's run and finish: the submitting
 * request's context travels in the message's headers (W3C {@code traceparent}), and the worker's run is a span
 * of that trace, its trace id in the MDC of every log line the run writes. With tracing off (no OTLP endpoint)
 * the spans are no-ops and the headers stay empty.
 */
@ApplicationScoped
public class JobTracing {

    /** The MDC keys Quarkus's OpenTelemetry support uses, so the log format and JSON logs find them. */
    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";

    private static final TextMapGetter<Map<String, Object>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, Object> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value == null ? null : value.toString(); // the AMQP client gives LongString
        }
    };

    private final Tracer tracer;

    public JobTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The current context (the submitting request's), to send with a wake-up. */
    public static Context current() {
        return Context.current();
    }

    /** Message headers carrying {@code context}; null when it holds no span (tracing off, or none started). */
    static Map<String, Object> headers(Context context) {
        if (context == null || !Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, Object> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, headers, Map::put);
        return headers;
    }

    /** The context a wake-up's headers carry, or the root context. */
    static Context extract(Map<String, Object> headers) {
        if (headers == null || headers.isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
    }

    /** Starts the span of a job's run on a worker, a child of the submitting request's span when it came along. */
    Run startRun(String kind, UUID id, int attempt, Context parent) {
        Span span = tracer.spanBuilder(kind + " run").setSpanKind(SpanKind.CONSUMER)
                .setParent(parent == null ? Context.root() : parent)
                .setAttribute("offload.job.kind", kind).setAttribute("offload.job.id", id.toString())
                .setAttribute("offload.job.attempt", attempt).startSpan();
        return new Run(span);
    }

    /** A run's span, current on the running thread (and its trace id in the MDC) until closed. */
    static final class Run implements AutoCloseable {
        private final Span span;
        private final io.opentelemetry.context.Scope scope;
        private final boolean traced;

        Run(Span span) {
            this.span = span;
            this.scope = span.makeCurrent();
            this.traced = span.getSpanContext().isValid();
            if (traced) {
                MDC.put(TRACE_ID, span.getSpanContext().getTraceId());
                MDC.put(SPAN_ID, span.getSpanContext().getSpanId());
            }
        }

        /** How the run ended: the transition it ended by, or cancelled, handed back, failed. */
        void ended(String outcome) {
            span.setAttribute("offload.job.outcome", outcome);
        }

        void failed(Throwable e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
        }

        @Override
        public void close() {
            if (traced) {
                MDC.remove(TRACE_ID);
                MDC.remove(SPAN_ID);
            }
            scope.close();
            span.end();
        }
    }
}
