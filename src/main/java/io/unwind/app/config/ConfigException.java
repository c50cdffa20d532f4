package io.unwind.app.config;

/** A configuration mistake, with the path of the field at fault ("chain.endpoints[0].url") and what to do. */
public final class ConfigException extends RuntimeException {
    private final String field;

    public ConfigException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
