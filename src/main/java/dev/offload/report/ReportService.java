package dev.offload.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.job.Caller;
import dev.offload.job.Job;
import dev.offload.job.JobService;
import dev.offload.storage.FileStore;
import dev.offload.storage.StoredFile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Submitting, reading, listing, cancelling and downloading reports. */
@ApplicationScoped
public class ReportService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A report: the engine's row and the report's own. */
    public record ReportView(Job job, Report report) {
    }

    /** A report ready to download, with its stored result. */
    public record Download(ReportView report, StoredFile file) {
    }

    private final JobService jobs;
    private final ReportKind kind;
    private final ReportGeneratorRegistry generators;
    private final FileStore store;
    private final ObjectMapper json;

    public ReportService(JobService jobs, ReportKind kind, ReportGeneratorRegistry generators, FileStore store,
            ObjectMapper json) {
        this.jobs = jobs;
        this.kind = kind;
        this.generators = generators;
        this.store = store;
        this.json = json;
    }

    /**
     * Checks the generator, the caller's right to it and the options, then creates the report (job row,
     * report row and first log entry in one transaction) and publishes its wake-up. Bad input creates nothing.
     */
    public Uni<ReportView> submit(ReportRequest request, Caller caller) {
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
        Report report = new Report();
        report.generatorType = generator.type();
        report.generatorOptions = json.convertValue(options, MAP);
        report.ownerIsAdmin = caller.admin();
        return jobs.submit(kind, caller, Map.of("generator_type", report.generatorType,
                        "generator_options", report.generatorOptions, "owner_is_admin", report.ownerIsAdmin))
                .map(job -> {
                    report.jobId = job.id;
                    return new ReportView(job, report);
                });
    }

    /** The report, if the caller may see it; otherwise 404, whether it exists or not. */
    public Uni<ReportView> find(UUID id, Caller caller) {
        return jobs.find(id, caller).chain(job -> {
            if (!ReportKind.NAME.equals(job.kind)) {
                throw new NotFoundException("no report " + id);
            }
            return Panache.withSession(() -> Report.<Report>findById(id)).map(report -> new ReportView(job, report));
        });
    }

    /** One page of the caller's reports (everyone's for admins), newest first; {@code size + 1} rows tell if more follow. */
    public Uni<List<ReportView>> list(Caller caller, String state, int page, int size) {
        StringBuilder hql = new StringBuilder("select j, r from Job j, Report r where r.jobId = j.id");
        if (!caller.admin()) {
            hql.append(" and j.owner = :owner");
        }
        if (state != null) {
            hql.append(" and j.state = :state");
        }
        hql.append(" order by j.createdAt desc, j.id desc");
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createSelectionQuery(hql.toString(), Object[].class)
                    .setFirstResult(page * size).setMaxResults(size + 1);
            if (!caller.admin()) {
                query.setParameter("owner", caller.name());
            }
            if (state != null) {
                query.setParameter("state", state);
            }
            return query.getResultList();
        })).map(rows -> rows.stream().map(row -> new ReportView((Job) row[0], (Report) row[1])).toList());
    }

    /** Cancels an unprocessed or generating report; a running generator stops and its partial output is removed. */
    public Uni<ReportView> cancel(UUID id, Caller caller) {
        return find(id, caller).chain(view -> jobs.cancel(id, caller)).chain(job -> find(id, caller));
    }

    /** The report's result, for its owner or an admin: 409 before success, 410 once expired. */
    public Uni<Download> download(UUID id, Caller caller) {
        return find(id, caller).chain(view -> {
            if (!ReportState.SUCCESS.value().equals(view.job().state)) {
                return Uni.createFrom().failure(new ReportNotReadyException(id, view.job().state, false));
            }
            if (view.job().resultFileId == null) {
                return Uni.createFrom().failure(new ReportNotReadyException(id, view.job().state, true));
            }
            return store.find(view.job().resultFileId).map(file -> {
                if (file == null) {
                    throw new ReportNotReadyException(id, view.job().state, true);
                }
                return new Download(view, file);
            });
        });
    }
}
