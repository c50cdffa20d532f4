package io.unwind.app.config;

/** A configuration mistake, with the path of the field at fault ("chain.endpoints[0].url") and what to do. */
public final class ConfigException extends RuntimeException {
    private final String field;
    private final String problem;

    public ConfigException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    private ConfigException(String field, String problem, String message, ConfigException cause) {
        super(message, cause);
        this.field = field;
        this.problem = problem;
    }

    /**
     * The same mistake, said to come from an environment variable ("UNWIND_CHAIN_POLLINTERVAL=abc: chain.pollInterval:
     * ...").
     */
    ConfigException fromEnvironment(String variable, String value) {
        return new ConfigException(field, problem, variable + "=" + value + ": " + getMessage(), this);
    }

    /** The same mistake with where it is in the file ("... (unwind.yaml, line 12)"). */
    ConfigException at(String where) {
        return new ConfigException(field, problem, getMessage() + " (" + where + ")", this);
    }

    /** The same mistake inside the field {@code outer} (a record's own check names its fields relative to it). */
    ConfigException under(String outer) {
        if (outer.isEmpty()) return this;
        String inner = field.isEmpty() ? outer : outer + (field.startsWith("[") ? "" : ".") + field;
        return new ConfigException(inner, problem);
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the field. */
    public String problem() {
        return problem;
    }
}
