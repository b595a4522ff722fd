package org.spidernet.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spark/scripts/gpu-discovery's output, with a fake nvidia-smi first on the PATH (no GPU here). */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT = Path.of("scripts/gpu-discovery").toAbsolutePath();

    private record Run(int exit, String out, String err) {
    }

    private static Run discover(Path bin, String nvidiaSmi) throws IOException, InterruptedException {
        Path fake = bin.resolve("nvidia-smi");
        Files.writeString(fake, "#!/usr/bin/env bash\n" + nvidiaSmi + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void listsEveryGpuIndexInSparksResourceFormat(@TempDir Path bin) throws Exception {
        Run r = discover(bin, "[[ \"$*\" == '--query-gpu=index --format=csv,noheader' ]] || exit 9\nprintf '0\\n1\\n 2\\n3\\n'");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\", \"2\", \"3\"]}\n", r.out());
    }

    @Test
    void oneGpu(@TempDir Path bin) throws Exception {
        Run r = discover(bin, "echo 0");
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\"]}\n", r.out());
    }

    @Test
    void failsWithAReasonWhenNvidiaSmiFails(@TempDir Path bin) throws Exception {
        Run r = discover(bin, "echo 'NVIDIA-SMI has failed' >&2; exit 6");
        assertNotEquals(0, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("gpu-discovery: nvidia-smi failed"), r.err());
    }
}
