package dev.offload.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.job.Caller;
import dev.offload.job.JobKind;
import dev.offload.job.JobService;
import dev.offload.job.JobView;
import dev.offload.job.Page;
import dev.offload.job.PageRequest;
import dev.offload.job.ResultUnavailableException;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** Submitting reports; finding, listing, cancelling and downloading them are the engine's, for the report kind. */
@ApplicationScoped
public class ReportService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JobService jobs;
    private final ReportKind kind;
    private final ReportGeneratorRegistry generators;
    private final ObjectMapper json;

    public ReportService(JobService jobs, ReportKind kind, ReportGeneratorRegistry generators, ObjectMapper json) {
        this.jobs = jobs;
        this.kind = kind;
        this.generators = generators;
        this.json = json;
    }

    /**
     * Checks the generator, the caller's right to it and the options, then creates the report (job row,
     * report row and first log entry in one transaction) and publishes its wake-up. Bad input creates nothing.
     */
    public Uni<JobView<ReportRow>> submit(ReportRequest request, Caller caller, Map<String, Object> attributes) {
        ReportGenerator generator = generators.get(request.generatorType());
        if (generator.adminOnly() && !caller.admin()) {
            throw new ForbiddenException("the report generator " + generator.type() + " is for admins only");
        }
        JsonNode given = request.generatorOptions();
        if (given != null && !given.isNull() && !given.isObject()) {
            throw InvalidOptionsException.ofRequest("generator_options", "must be a JSON object");
        }
        ObjectNode options = given instanceof ObjectNode object ? object : json.createObjectNode();
        generators.check(generator, options);
        return jobs.submit(kind, caller,
                ReportRow.submitted(generator.type(), json.convertValue(options, MAP), caller.admin()), attributes);
    }

    public Uni<JobView<ReportRow>> find(UUID id, Caller caller) {
        return jobs.find(kind, id, caller);
    }

    public Uni<Page<JobView<ReportRow>>> list(Caller caller, String state, PageRequest page) {
        return jobs.list(kind, caller, state, page);
    }

    /** Cancels an unprocessed or generating report; a running generator stops and its partial output is removed. */
    public Uni<JobView<ReportRow>> cancel(UUID id, Caller caller, Map<String, Object> attributes) {
        return find(id, caller).chain(view -> jobs.transition(id, JobKind.CANCEL, caller, attributes))
                .chain(view -> find(id, caller));
    }

    /** The report's result, for its owner or an admin: 409 before success, 410 once expired. */
    public Uni<JobService.Result> download(UUID id, Caller caller) {
        return find(id, caller).chain(view -> {
            if (!ReportState.SUCCESS.value().equals(view.job().state)) {
                return Uni.createFrom().failure(new ReportNotReadyException(id, view.job().state, false));
            }
            return jobs.result(view).onFailure(ResultUnavailableException.class)
                    .transform(e -> new ReportNotReadyException(id, view.job().state, true));
        });
    }
}
