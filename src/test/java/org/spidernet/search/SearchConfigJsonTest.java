package org.spidernet.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.spidernet.train.TrainConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The configuration's JSON, which checkpoints, summaries and event logs hold: {@code space} is
 * written only when set (runs without {@code --space} save what they saved before), and a
 * configuration saved before it existed reads back with none.
 */
class SearchConfigJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SearchConfig CFG = new SearchConfig(1, 2, 3, TrainConfig.spiderNetDefaults(7), 1, 1L << 30, 1,
            List.of("ntk_centred"), 1, new ScoringScale(1, 6, 1, 12), "random", 7);

    @Test
    void theSpaceIsSavedOnlyWhenSetAndOldConfigurationsReadWithout() throws Exception {
        ObjectNode plain = MAPPER.valueToTree(CFG);
        assertFalse(plain.has("space"), plain.toString());
        assertEquals(CFG, MAPPER.treeToValue(plain, SearchConfig.class));
        assertNull(MAPPER.treeToValue(plain, SearchConfig.class).space());

        SearchConfig spaced = CFG.withSpace("/tmp/learned-space.json");
        ObjectNode tree = MAPPER.valueToTree(spaced);
        assertEquals("/tmp/learned-space.json", tree.get("space").asText());
        assertEquals(spaced, MAPPER.treeToValue(tree, SearchConfig.class));
        assertEquals(spaced.withLimits(new SearchLimits(10, 20)).space(), spaced.space());
        assertEquals(spaced.withOptions(java.util.Map.of("a", "b")).space(), spaced.space());
        assertNull(spaced.withSpace(null).space());
        assertThrows(IllegalArgumentException.class, () -> CFG.withSpace(" "));
    }
}
