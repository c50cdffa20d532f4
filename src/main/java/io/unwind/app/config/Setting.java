package io.unwind.app.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A setting's default and bounds, written once on its record component and applied by {@link ConfigBinder}. Values are
 * written as in the YAML file ({@code "2m"}, {@code "[500, 3000]"}, {@code "true"}); a bound applies to the value, to
 * each item of a list, or to each value of a map. A component without a default is optional ({@code Optional}, an empty
 * list or map, a section of defaults) unless {@link #required()} says why it is needed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** The default, as it would be written in the file; "" for none. */
    String def() default "";

    /** Inclusive lower bound (a number or a duration); "" for none. */
    String min() default "";

    /** Inclusive upper bound; "" for none. */
    String max() default "";

    /** Exclusive lower bound ("0": must be > 0); "" for none. */
    String above() default "";

    /** A regular expression the whole text must match; "" for none. */
    String pattern() default "";

    /** What a value that misses {@link #pattern()} must be, said to the operator ("must be ..."). */
    String hint() default "";

    /** False: a value that misses {@link #pattern()} is not repeated in the message (it may be a pasted secret). */
    boolean echo() default true;

    /** Non-empty: the setting has no default and this is what to tell an operator who left it out. */
    String required() default "";

    /** False: not read from the file (derived from other settings, such as a key read from the environment). */
    boolean inFile() default true;
}
