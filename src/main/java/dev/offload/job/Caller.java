package dev.offload.job;

/** Who is asking: the owner of what they submit; admins see and act on everyone's jobs. */
public record Caller(String name, boolean admin) {

    public static final String ADMIN_GROUP = "admin";

    public boolean mayAccess(Job job) {
        return admin || job.owner.equals(name);
    }
}
