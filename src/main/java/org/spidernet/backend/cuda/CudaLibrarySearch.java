package org.spidernet.backend.cuda;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the {@link CudaLibrary CUDA libraries} live on this machine. A GPU node that has only the
 * driver may still hold them somewhere: in a CUDA toolkit, in PyTorch's pip wheels
 * ({@code site-packages/nvidia/<name>/lib}), in a system directory, or wherever the user says with
 * {@value #ENVIRONMENT_VARIABLE} (a colon-separated list of directories, searched first).
 *
 * <p>The search only lists directories: it runs no Python and loads nothing, so it is cheap, it
 * cannot crash, and tests run it on fake directory trees. Fixed locations ({@code /usr/local/cuda},
 * {@code /usr/lib/x86_64-linux-gnu}, ...) are resolved under a root directory, which is {@code /}
 * except in tests. The first directory holding a library's soname wins, as with the dynamic loader.
 */
public final class CudaLibrarySearch {

    /** Colon-separated directories searched before any automatic location. */
    public static final String ENVIRONMENT_VARIABLE = "SPIDERNET_CUDA_LIBS";

    /** A directory on the search list and why it is there ("CUDA toolkit", "Python site-packages", ...). */
    public record Directory(Path path, String origin) {
    }

    /**
     * The outcome for one library: where it was found (null when not), the companions missing beside
     * it, and files of the same library with another major seen anywhere on the list (a toolkit of
     * the wrong release, say), which make a "not found" easier to act on.
     */
    public record Lookup(CudaLibrary library, Directory directory, List<String> missingCompanions,
                         List<Path> otherVersions) {
        public boolean found() {
            return directory != null;
        }

        /** Found, with every companion beside it: what the presets need to load. */
        public boolean complete() {
            return found() && missingCompanions.isEmpty();
        }
    }

    private static final String TOOLKIT = "CUDA toolkit";
    private static final String PYTHON = "Python site-packages";
    private static final String SYSTEM = "system";

    private final List<Directory> directories;
    private final List<String> problems;

    private CudaLibrarySearch(List<Directory> directories, List<String> problems) {
        this.directories = List.copyOf(directories);
        this.problems = List.copyOf(problems);
    }

    /** The search for this process: its environment variables and home, fixed locations under {@code /}. */
    public static CudaLibrarySearch onThisMachine() {
        return of(System.getenv(), Path.of("/"), Path.of(System.getProperty("user.home", "/nonexistent")));
    }

    /**
     * The search order for an environment: {@value #ENVIRONMENT_VARIABLE}, {@code LD_LIBRARY_PATH},
     * CUDA toolkits ({@code $CUDA_HOME}, {@code $CUDA_PATH}, the nvcc on {@code PATH},
     * {@code /usr/local/cuda}, {@code /usr/local/cuda-*} newest first), the {@code nvidia/*}{@code /lib}
     * folders of Python site-packages ({@code $VIRTUAL_ENV}, {@code $CONDA_PREFIX}, the python3 on
     * {@code PATH}, {@code /opt/*}{@code /.venv}, {@code /usr/local}, {@code /usr}, {@code ~/.local}),
     * then the system library directories. Only existing directories are kept, each once.
     */
    static CudaLibrarySearch of(Map<String, String> environment, Path root, Path home) {
        Builder b = new Builder();
        for (String entry : pathList(environment.get(ENVIRONMENT_VARIABLE))) {
            Path dir = toPath(entry);
            if (dir != null && Files.isDirectory(dir)) {
                b.add(dir, ENVIRONMENT_VARIABLE);
            } else {
                b.problems.add(ENVIRONMENT_VARIABLE + " names " + entry + ", which is not a directory");
            }
        }
        for (String entry : pathList(environment.get("LD_LIBRARY_PATH"))) {
            b.add(toPath(entry), "LD_LIBRARY_PATH");
        }

        List<Path> toolkits = new ArrayList<>();
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String value = environment.get(variable);
            Path toolkit = value == null ? null : toPath(value);
            if (toolkit != null) {
                toolkits.add(toolkit);
            }
        }
        List<Path> pathDirs = pathList(environment.get("PATH")).stream().map(CudaLibrarySearch::toPath)
                .filter(p -> p != null).toList();
        for (Path dir : pathDirs) {
            if (Files.isRegularFile(dir.resolve("nvcc")) && dir.getParent() != null) {
                toolkits.add(dir.getParent());
            }
        }
        toolkits.add(under(root, "/usr/local/cuda"));
        toolkits.addAll(versionedChildren(under(root, "/usr/local"), "cuda-"));
        for (Path toolkit : toolkits) {
            b.add(toolkit.resolve("lib64"), TOOLKIT);
            b.add(toolkit.resolve("targets/x86_64-linux/lib"), TOOLKIT);
        }

        for (Path sitePackages : sitePackages(environment, pathDirs, root, home)) {
            for (Path lib : children(sitePackages.resolve("nvidia"), "").stream().map(p -> p.resolve("lib")).toList()) {
                b.add(lib, PYTHON);
            }
        }

        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")) {
            b.add(under(root, dir), SYSTEM);
        }
        return new CudaLibrarySearch(b.directories, b.problems);
    }

    /** Every directory searched, in order. */
    public List<Directory> directories() {
        return directories;
    }

    /** Settings that look wrong (a {@value #ENVIRONMENT_VARIABLE} entry that is not a directory), one line each. */
    public List<String> problems() {
        return problems;
    }

    /** Looks for one library on the list; never throws (an unreadable directory counts as empty). */
    public Lookup find(CudaLibrary library) {
        Pattern versioned = Pattern.compile(Pattern.quote(library.baseName()) + "\\.so\\.(\\d{1,6})");
        Directory found = null;
        Set<Path> others = new LinkedHashSet<>();
        for (Directory directory : directories) {
            for (String name : fileNames(directory.path())) {
                Matcher m = versioned.matcher(name);
                if (!m.matches() || !Files.isRegularFile(directory.path().resolve(name))) {
                    continue;
                }
                if (Integer.parseInt(m.group(1)) == library.major()) {
                    if (found == null) {
                        found = directory;
                    }
                } else {
                    others.add(directory.path().resolve(name));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        if (found != null) {
            for (String companion : library.companions()) {
                if (!Files.isRegularFile(found.path().resolve(library.soname(companion)))) {
                    missing.add(library.soname(companion));
                }
            }
        }
        return new Lookup(library, found, missing, List.copyOf(others));
    }

    /** {@link #find} for every library, in {@link CudaLibrary} order. */
    public List<Lookup> findAll() {
        return Stream.of(CudaLibrary.values()).map(this::find).toList();
    }

    /** The directories where some library was found, in search order: what JavaCPP should search first. */
    public List<Path> libraryDirectories() {
        Set<Directory> holding = new HashSet<>();
        for (Lookup lookup : findAll()) {
            if (lookup.found()) {
                holding.add(lookup.directory());
            }
        }
        return directories.stream().filter(holding::contains).map(Directory::path).toList();
    }

    // ------------------------------------------------------------------ locations

    private static List<Path> sitePackages(Map<String, String> environment, List<Path> pathDirs, Path root, Path home) {
        List<Path> prefixes = new ArrayList<>();
        for (String variable : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String value = environment.get(variable);
            Path prefix = value == null ? null : toPath(value);
            if (prefix != null) {
                prefixes.add(prefix);
            }
        }
        // A venv's bin/python3 links to the base interpreter: the venv is the folder above bin,
        // the base installation the folder above the link's target's bin. Both may hold wheels.
        for (Path dir : pathDirs) {
            Path python = dir.resolve("python3");
            if (Files.isRegularFile(python) && dir.getParent() != null) {
                prefixes.add(dir.getParent());
                try {
                    Path real = python.toRealPath().getParent();
                    if (real != null && real.getParent() != null) {
                        prefixes.add(real.getParent());
                    }
                } catch (IOException | SecurityException e) {
                    // an unreadable link: the venv prefix above is still searched
                }
            }
        }
        for (Path opt : children(under(root, "/opt"), "")) {
            prefixes.add(opt.resolve(".venv"));
            prefixes.add(opt);
        }
        prefixes.add(under(root, "/usr/local"));
        prefixes.add(under(root, "/usr"));
        prefixes.add(home.resolve(".local"));

        List<Path> result = new ArrayList<>();
        for (Path prefix : prefixes) {
            for (String lib : List.of("lib", "lib64")) {
                for (Path python : versionedChildren(prefix.resolve(lib), "python3")) {
                    result.add(python.resolve("site-packages"));
                    result.add(python.resolve("dist-packages"));
                }
            }
        }
        return result;
    }

    /** {@code root} + an absolute location, so that tests can stand a fake tree in for {@code /}. */
    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** The path an environment entry names, or null for a blank or malformed one. */
    private static Path toPath(String entry) {
        if (entry == null || entry.isBlank()) {
            return null;
        }
        try {
            return Path.of(entry.strip());
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Colon-separated entries, blanks dropped. */
    private static List<String> pathList(String value) {
        if (value == null) {
            return List.of();
        }
        return Stream.of(value.split(Pattern.quote(File.pathSeparator))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    /** Child directories whose names start with {@code prefix}, sorted by name. */
    private static List<Path> children(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** Children named {@code prefix} + an optional version ("cuda-12.4", "python3.12"), newest version first. */
    private static List<Path> versionedChildren(Path dir, String prefix) {
        Comparator<Path> byVersion = (a, b) -> compareVersions(suffix(a, prefix), suffix(b, prefix));
        return children(dir, prefix).stream()
                .filter(p -> suffix(p, prefix).matches("(\\d{1,9}(\\.\\d{1,9})*)?"))
                .sorted(byVersion.reversed()).toList();
    }

    private static String suffix(Path p, String prefix) {
        String name = p.getFileName().toString().substring(prefix.length());
        return name.startsWith(".") ? name.substring(1) : name;
    }

    /** Numeric, part by part: 12.10 is newer than 12.9. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long u = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : -1;
            long v = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : -1;
            if (u != v) {
                return Long.compare(u, v);
            }
        }
        return 0;
    }

    private static List<String> fileNames(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** Collects existing directories, each once (by real path: /usr/local/cuda is often a link). */
    private static final class Builder {
        final List<Directory> directories = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Set<Path> seen = new HashSet<>();

        void add(Path dir, String origin) {
            if (dir == null || !Files.isDirectory(dir)) {
                return;
            }
            Path key;
            try {
                key = dir.toRealPath();
            } catch (IOException | SecurityException e) {
                key = dir.toAbsolutePath().normalize();
            }
            if (seen.add(key)) {
                directories.add(new Directory(dir.toAbsolutePath().normalize(), origin));
            }
        }
    }
}
