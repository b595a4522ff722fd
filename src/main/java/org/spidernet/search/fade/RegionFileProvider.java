package org.spidernet.search.fade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SampledSpaceProvider;
import org.spidernet.search.SearchConfig;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens a FaDE region file ({@code region.json}, e.g. a FaDE checkpoint's or
 * {@code benchmarks/twin-fade-region.json}) for {@code search --space FILE}. A file that is not
 * JSON with format {@value FadeJson#REGION_FORMAT} is another provider's to judge; one that says it
 * is a region but does not read as one, or whose input is not the data's, is refused naming the file.
 */
public final class RegionFileProvider implements SampledSpaceProvider {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Regions come from files only. */
    @Override
    public List<String> names() {
        return List.of();
    }

    @Override
    public Optional<SampledSpace> open(String spec, InputSpec input, SearchConfig cfg) {
        Path file;
        try {
            file = Path.of(spec);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            return Optional.empty(); // not text, so not JSON
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the space file (" + e.getMessage() + ")", e);
        }
        if (!saysItIsARegion(text)) {
            return Optional.empty();
        }
        FadeRegion region;
        try {
            region = FadeJson.readRegion(text);
        } catch (InvalidGenomeException e) {
            throw new IllegalArgumentException(file + ": not a valid FaDE region: " + e.getMessage(), e);
        }
        InputSpec own = region.skeleton().input();
        if (!own.equals(input)) {
            throw new IllegalArgumentException(file + ": the FaDE region takes " + shape(own) + " images, the data has "
                    + shape(input));
        }
        return Optional.of(new SampledRegion(region, file));
    }

    /** Whether {@code text} is a JSON object whose format is a region's: the claim that makes a fault this provider's. */
    private static boolean saysItIsARegion(String text) {
        try {
            JsonNode root = MAPPER.readTree(text);
            return root != null && root.isObject() && FadeJson.REGION_FORMAT.equals(root.path("format").asText(null));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String shape(InputSpec s) {
        return s.channels() + "x" + s.height() + "x" + s.width() + " (" + s.classes() + " classes)";
    }
}
