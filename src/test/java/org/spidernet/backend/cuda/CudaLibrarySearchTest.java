package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.Availability;

/** The library search on fake directory trees standing in for {@code /} and the home directory. */
class CudaLibrarySearchTest {

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("root");
    }

    private Path home() {
        return tmp.resolve("home");
    }

    /** Creates the file (and its folders) under the fake root; contents do not matter to the search. */
    private Path touch(String absolute) throws IOException {
        Path file = root().resolve(absolute.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not a real library");
        return file;
    }

    private Path dir(String absolute) {
        return root().resolve(absolute.substring(1));
    }

    private CudaLibrarySearch search(Map<String, String> env) throws IOException {
        Files.createDirectories(root());
        Files.createDirectories(home());
        return CudaLibrarySearch.of(env, root(), home());
    }

    private static void touchCudnn(Path dir, boolean withCompanions) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("libcudnn.so.9"), "x");
        if (withCompanions) {
            for (String c : CudaLibrary.CUDNN.companions()) {
                Files.writeString(dir.resolve(c + ".so.9"), "x");
            }
        }
    }

    @Test
    void anEmptyMachineFindsNothingAndSaysWhatToSet() throws IOException {
        CudaLibrarySearch s = search(Map.of());
        assertTrue(s.directories().isEmpty(), s.directories().toString());
        for (CudaLibrarySearch.Lookup lookup : s.findAll()) {
            assertFalse(lookup.found(), lookup.toString());
        }
        assertTrue(s.libraryDirectories().isEmpty());
        List<String> lines = CudaEnvironmentReport.lines(
                new CudaProbe.Result(Availability.unusable("NVIDIA driver not found (x)"),
                        List.of(), 0, 0), 0, s);
        assertEquals("CUDA driver: not found; runtime unknown (library not loaded)", lines.get(0));
        String cudnn = lines.stream().filter(l -> l.startsWith("libcudnn.so.9")).findFirst().orElseThrow();
        assertTrue(cudnn.contains("not found") && cudnn.contains("SPIDERNET_CUDA_LIBS"), cudnn);
        assertEquals("searched: no existing directory", lines.get(lines.size() - 1));
    }

    @Test
    void theEnvironmentVariableComesFirstAndItsBadEntriesAreReported() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("my libs"));
        Files.writeString(mine.resolve("libcublas.so.13"), "x");
        touch("/usr/local/cuda/lib64/libcublas.so.13");
        touch("/usr/local/cuda/lib64/libcudart.so.13");
        Path missing = tmp.resolve("no-such-dir");
        CudaLibrarySearch s = search(Map.of(CudaLibrarySearch.ENVIRONMENT_VARIABLE,
                mine + File.pathSeparator + missing + File.pathSeparator));

        CudaLibrarySearch.Lookup cublas = s.find(CudaLibrary.CUBLAS);
        assertEquals(mine.toAbsolutePath(), cublas.directory().path());
        assertEquals(CudaLibrarySearch.ENVIRONMENT_VARIABLE, cublas.directory().origin());
        CudaLibrarySearch.Lookup cudart = s.find(CudaLibrary.RUNTIME);
        assertEquals(dir("/usr/local/cuda/lib64"), cudart.directory().path());
        assertEquals("CUDA toolkit", cudart.directory().origin());
        assertEquals(List.of(mine.toAbsolutePath(), dir("/usr/local/cuda/lib64")), s.libraryDirectories());
        assertEquals(List.of(CudaLibrarySearch.ENVIRONMENT_VARIABLE + " names " + missing + ", which is not a directory"),
                s.problems());
    }

    @Test
    void pytorchWheelsAreFoundUnderOptVenvsAndThePythonOnPath() throws IOException {
        // the GPU machines' layout: /opt/torch/.venv/lib/python3.12/site-packages/nvidia/<name>/lib
        touchCudnn(dir("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cudnn/lib"), true);
        touch("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublasLt.so.13");
        // a venv elsewhere, found only through the python3 on PATH
        Path venv = tmp.resolve("venv");
        Files.createDirectories(venv.resolve("bin"));
        Files.writeString(venv.resolve("bin/python3"), "#!/bin/sh\n");
        Path wheel = Files.createDirectories(venv.resolve("lib/python3.11/site-packages/nvidia/cublas/lib"));
        Files.writeString(wheel.resolve("libcublas.so.13"), "x");

        CudaLibrarySearch s = search(Map.of("PATH", "/nonexistent" + File.pathSeparator + venv.resolve("bin")));
        CudaLibrarySearch.Lookup cudnn = s.find(CudaLibrary.CUDNN);
        assertTrue(cudnn.complete(), cudnn.toString());
        assertEquals(dir("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cudnn/lib"), cudnn.directory().path());
        assertEquals("Python site-packages", cudnn.directory().origin());
        assertEquals(wheel, s.find(CudaLibrary.CUBLAS).directory().path());
        assertEquals(dir("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib"),
                s.find(CudaLibrary.CUBLAS_LT).directory().path());
        assertFalse(s.find(CudaLibrary.RUNTIME).found());
    }

    @Test
    void libcublasLtIsNotMistakenForLibcublasAndOtherMajorsAreNamed() throws IOException {
        touch("/usr/local/cuda-12.4/lib64/libcublasLt.so.13");
        Path old = touch("/usr/local/cuda-12.4/lib64/libcublas.so.12");
        touch("/usr/local/cuda-12.4/lib64/libcublas.so");
        CudaLibrarySearch s = search(Map.of());
        CudaLibrarySearch.Lookup cublas = s.find(CudaLibrary.CUBLAS);
        assertFalse(cublas.found());
        assertNull(cublas.directory());
        assertEquals(List.of(old), cublas.otherVersions());
        assertTrue(s.find(CudaLibrary.CUBLAS_LT).found());
        String line = CudaEnvironmentReport.lines(new CudaProbe.Result(
                Availability.unusable("no"), List.of(), 0, 0), 0, s).stream()
                .filter(l -> l.startsWith("libcublas.so.13")).findFirst().orElseThrow();
        assertTrue(line.contains("only other versions: " + old), line);
    }

    @Test
    void cudnnWithoutItsPartsBesideItIsIncomplete() throws IOException {
        Path lib = dir("/usr/lib/x86_64-linux-gnu");
        touchCudnn(lib, false);
        Files.writeString(lib.resolve("libcudnn_graph.so.9"), "x");
        CudaLibrarySearch s = search(Map.of());
        CudaLibrarySearch.Lookup cudnn = s.find(CudaLibrary.CUDNN);
        assertTrue(cudnn.found());
        assertFalse(cudnn.complete());
        assertEquals(List.of("libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9"), cudnn.missingCompanions());
        assertEquals("system", cudnn.directory().origin());
        String line = CudaEnvironmentReport.lines(new CudaProbe.Result(
                Availability.unusable("no"), List.of(), 0, 0), 0, s).stream()
                .filter(l -> l.startsWith("libcudnn.so.9")).findFirst().orElseThrow();
        assertTrue(line.endsWith("but libcudnn_ops.so.9, libcudnn_cnn.so.9, libcudnn_adv.so.9 are missing beside it"), line);
    }

    @Test
    void toolkitsComeNewestFirstAndALinkedToolkitIsSearchedOnce() throws IOException {
        for (String v : List.of("12.9", "12.10", "13.0")) {
            touch("/usr/local/cuda-" + v + "/lib64/libcudart.so." + v.substring(0, 2));
        }
        Files.createSymbolicLink(dir("/usr/local/cuda"), dir("/usr/local/cuda-12.9"));
        CudaLibrarySearch s = search(new HashMap<>(Map.of("CUDA_HOME", dir("/usr/local/cuda-12.10").toString())));
        List<Path> dirs = s.directories().stream().map(CudaLibrarySearch.Directory::path).toList();
        // $CUDA_HOME first, then /usr/local/cuda (the link to 12.9), then the rest newest first
        assertEquals(List.of(dir("/usr/local/cuda-12.10/lib64"), dir("/usr/local/cuda/lib64"),
                dir("/usr/local/cuda-13.0/lib64")), dirs);
        assertEquals(dir("/usr/local/cuda-13.0/lib64"), s.find(CudaLibrary.RUNTIME).directory().path());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(CudaLibrarySearch.compareVersions("12.10", "12.9") > 0);
        assertTrue(CudaLibrarySearch.compareVersions("13", "12.9") > 0);
        assertTrue(CudaLibrarySearch.compareVersions("3.12", "3.12.1") < 0);
        assertEquals(0, CudaLibrarySearch.compareVersions("12.4", "12.4"));
    }

    @Test
    void theReportNamesTheDeviceItsMemoryAndComputeCapability() throws IOException {
        touch("/usr/local/cuda/lib64/libcudart.so.13");
        CudaDeviceInfo h100 = new CudaDeviceInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 85_045_870_592L, 84_392_558_592L);
        CudaDeviceInfo old = new CudaDeviceInfo(1, "Tesla T4", 7, 5, 40, 16L << 30, 15L << 30);
        CudaProbe.Result probe = new CudaProbe.Result(Availability.usable("device 0"),
                List.of(h100, old), 13000, 13000);
        List<String> lines = CudaEnvironmentReport.lines(probe, 0, search(Map.of()));
        assertEquals("CUDA driver 13.0, runtime 13.0", lines.get(0));
        assertEquals("device 0: NVIDIA H100 80GB HBM3, 79.2 GiB (78.6 GiB free), compute capability 9.0, 132 SMs",
                lines.get(1));
        assertTrue(lines.get(2).startsWith("device 1: Tesla T4, 16.0 GiB (15.0 GiB free), compute capability 7.5")
                && lines.get(2).endsWith("(unsupported: the kernels need compute capability 8.0 or newer)"), lines.get(2));
        assertTrue(lines.get(3).matches("libcudart\\.so\\.13 +found in .*/usr/local/cuda/lib64 \\(CUDA toolkit\\)"),
                lines.get(3));
        assertTrue(lines.get(lines.size() - 1).startsWith("searched: "), lines.toString());
    }

    @Test
    void foundDirectoriesExtendJavaCppsPreloadPath() throws IOException {
        touch("/usr/local/cuda/lib64/libcublas.so.13");
        String key = "org.bytedeco.javacpp.platform.preloadpath";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "/already/there");
            CudaProbe.addLibraryDirectoriesToPreloadPath(search(Map.of()));
            assertEquals("/already/there" + File.pathSeparator + dir("/usr/local/cuda/lib64"), System.getProperty(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
