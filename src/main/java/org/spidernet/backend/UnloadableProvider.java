package org.spidernet.backend;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for a provider listed in {@code META-INF/services} whose class could not be loaded or
 * instantiated (a plug-in whose library is missing from a trimmed class path, say), so that the
 * other backends still load and {@code spidernet info} shows the reason. Never usable.
 */
final class UnloadableProvider implements BackendProvider {
    /** ServiceLoader's messages read "SERVICE: [Provider ]CLASS not found|could not be instantiated|not a subtype". */
    private static final Pattern PROVIDER_CLASS =
            Pattern.compile("(?:Provider )?((?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*)");

    private final String name;
    private final Availability availability;

    UnloadableProvider(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int colon = message.indexOf(": ");
        Matcher m = PROVIDER_CLASS.matcher(colon >= 0 ? message.substring(colon + 2) : message);
        this.name = m.lookingAt() ? m.group(1) : "(unknown provider)";
        this.availability = Availability.unusable("its classes cannot be loaded: " + describe(error));
    }

    /** The provider's class name as the service file lists it (its short name is unknown without the class). */
    @Override
    public String name() {
        return name;
    }

    @Override
    public int rank() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public Backend open() {
        throw new BackendUnavailableException(name + " backend unavailable: " + availability.detail());
    }

    /**
     * The throwable and its causes on one line: loading fails deep down (a NoClassDefFoundError
     * naming the missing class under a ServiceConfigurationError), and the deepest cause is the
     * reason a user can act on.
     */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 6; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (sb.length() > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage().strip().replaceAll("\\s+", " "));
            }
        }
        return sb.toString();
    }
}
