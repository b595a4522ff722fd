package org.spidernet.backend.cuda;

import java.util.List;

/**
 * A CUDA library that the JavaCPP presets ({@code org.bytedeco:cuda:13.3-9.25-1.5.14}) load for
 * cuBLAS and cuDNN. The presets jar carries only the JNI glue, not the libraries (the redist jar is
 * hundreds of MB), so a GPU node must provide them; {@link CudaLibrarySearch} finds them. The
 * majors are the sonames the glue is linked against ({@code readelf -d libjnicublas.so}:
 * libcublas.so.13; libjnicudnn.so: libcudnn_*.so.9). Our own kernels need none of these: their
 * library links cudart statically and needs only the driver.
 */
public enum CudaLibrary {
    RUNTIME("libcudart", 13, List.of()),
    CUBLAS("libcublas", 13, List.of()),
    CUBLAS_LT("libcublasLt", 13, List.of()),
    // libcudnn.so.9 is a small dispatcher; the presets' glue links the parts directly, and they
    // must sit beside it
    CUDNN("libcudnn", 9, List.of("libcudnn_graph", "libcudnn_ops", "libcudnn_cnn", "libcudnn_adv"));

    private final String baseName;
    private final int major;
    private final List<String> companions;

    CudaLibrary(String baseName, int major, List<String> companions) {
        this.baseName = baseName;
        this.major = major;
        this.companions = companions;
    }

    /** "libcublas". */
    public String baseName() {
        return baseName;
    }

    /** The soname's major version the presets need. */
    public int major() {
        return major;
    }

    /** "libcublas.so.13": the file the dynamic loader looks for. */
    public String soname() {
        return soname(baseName);
    }

    /** Libraries that must be found in the same directory (each with the same major). */
    public List<String> companions() {
        return companions;
    }

    String soname(String base) {
        return base + ".so." + major;
    }
}
