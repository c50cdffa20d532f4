package io.unwind.app.config;

/** A configuration mistake, with the path of the field at fault ("chain.endpoints[0].url") and what to do. */
public final class ConfigException extends RuntimeException {
    private final String field;

    public ConfigException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    private ConfigException(String field, String message, ConfigException cause) {
        super(message, cause);
        this.field = field;
    }

    /** The same mistake, said to come from an environment variable ("UNWIND_CHAIN_POLLINTERVAL=abc: chain.pollInterval: ..."). */
    ConfigException fromEnvironment(String variable, String value) {
        return new ConfigException(field, variable + "=" + value + ": " + getMessage(), this);
    }

    public String field() {
        return field;
    }
}
