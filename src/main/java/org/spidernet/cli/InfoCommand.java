package org.spidernet.cli;

import org.spidernet.backend.Availability;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.data.DatasetRegistry;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code spidernet info}: which backends run here (and why not), and where the data is. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, description = "Show usable backends, the reason for each unusable one, and dataset locations.")
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("backends (auto picks the first usable one of rank 0 or more):");
        int width = Backends.providers().stream().mapToInt(p -> p.name().length()).max().orElse(10);
        String row = "  %-" + width + "s %-11s %s%n";
        for (BackendProvider p : Backends.providers()) {
            Availability a = Backends.availability(p);
            System.out.printf(row, p.name(), a.usable() ? "usable" : "unavailable", a.detail());
            for (String line : infoLines(p)) {
                System.out.printf(row, "", "", line);
            }
        }
        System.out.println("datasets:");
        for (String name : DatasetRegistry.NAMES) {
            Optional<Path> dir = DatasetRegistry.defaultDirectory(name);
            String hint = name.equals("fashion-mnist") ? " (missing: run scripts/install-fashion-mnist)" : " (missing)";
            String where = dir.map(d -> d + (Files.isDirectory(d) ? " (present)" : hint))
                    .orElse("no default location; pass --data DIR");
            System.out.printf("  %-14s %s%n", name, where);
        }
        System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        return 0;
    }

    /** The provider's extra lines; a failure there is one more line, never the end of {@code info}. */
    private static List<String> infoLines(BackendProvider p) {
        try {
            return p.infoLines();
        } catch (LinkageError | RuntimeException e) {
            return List.of("(details unavailable: " + e + ")");
        }
    }
}
